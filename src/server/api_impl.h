// Internal to the API (api*.cpp): the shared state of one Api and the helpers its handlers use.
#pragma once
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <shared_mutex>
#include <unordered_map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/api.h"

namespace severn::server {

// What one request's handler needs: the request, the session (when signed in) and the response.
struct Call {
  const ApiRequest& request;
  std::optional<Session> session;
  std::vector<std::string> path_args;  // the {placeholders} of the route, in order
  std::string session_id;              // the cookie's value when a session was found
  const std::string* param(std::string_view name) const;
};

// Identity-area reads of the request being handled (the area's observer fills it; one thread per
// request, so thread_local).
struct IdentityReads {
  std::uint64_t reads = 0, persons = 0;
  std::vector<std::string> files;
  bool audited = false;  // a handler appended the request's audit line
};
IdentityReads& current_identity_reads();

struct Api::Impl {
  const ServedData& data;
  const store::Store& store;
  UsersSource& users;
  SessionStore& sessions;
  LoginThrottle& throttle;
  AuditLog& audit;
  std::filesystem::path audit_log_path, audit_key_path;
  ApiLimits limits;
  store::IdentityArea identity;

  Impl(const ServedData& d, const store::Store& s, UsersSource& u, SessionStore& ss, LoginThrottle& t,
       AuditLog& a, std::filesystem::path log, std::filesystem::path key, ApiLimits l);

  ApiResponse dispatch(const ApiRequest& request);

  // Aggregate responses depend only on their parameters (the served data never change while the
  // server runs): each is built once and copied out after. Bounded: past kMaxCached entries the
  // cache starts afresh (parameters such as dates make the key space open-ended).
  static constexpr std::size_t kMaxCached = 4096;
  std::shared_mutex cache_mutex;
  std::unordered_map<std::string, std::shared_ptr<const ApiResponse>> cache;
  ApiResponse cached(const std::string& key, const std::function<ApiResponse()>& build);

  // Handlers (api_session.cpp, api_aggregates.cpp, api_identifiable.cpp, api_admin.cpp).
  ApiResponse login(Call& c);
  ApiResponse logout(Call& c);
  ApiResponse session_info(Call& c);
  ApiResponse definitions(Call& c);
  ApiResponse measures(Call& c);
  ApiResponse pcns(Call& c);
  ApiResponse providers(Call& c);
  ApiResponse lsoa_map(Call& c);
  ApiResponse elective_snapshot(Call& c);
  ApiResponse elective_scenarios(Call& c);
  // The same, built afresh (the cached ones above call them once per distinct request).
  ApiResponse definitions_uncached(Call& c);
  ApiResponse measures_uncached(Call& c);
  ApiResponse pcns_uncached(Call& c);
  ApiResponse providers_uncached(Call& c);
  ApiResponse lsoa_map_uncached(Call& c);
  ApiResponse elective_snapshot_uncached(Call& c);
  ApiResponse elective_scenarios_uncached(Call& c);
  ApiResponse worklist(Call& c);
  ApiResponse ptl(Call& c);
  ApiResponse mutual_aid(Call& c);
  ApiResponse audit_read(Call& c);
  ApiResponse users_list(Call& c);
  ApiResponse page(Call& c);
  ApiResponse static_asset(Call& c);

  // 403 with an audit line saying what was refused and why (the line is written first).
  ApiResponse refuse(const Call& c, std::string action, std::string target, std::string why);
  // Appends the audit line of an identifiable read that is about to be returned.
  void audit_allowed(const Call& c, std::string action, std::string target, std::string purpose, std::uint64_t rows);
};

ApiResponse json_response(int status, std::string body);
ApiResponse error_response(int status, std::string_view message);
ApiResponse csv_response(std::string body, std::string_view file_name);
// The session's user as JSON fields (no braces): "user":...,"role":...,"pcns":[...],"providers":[...],"csrf_token":...
std::string session_fields(const Session& s);
std::string json_string_array(const std::vector<std::string>& items);
bool wants_csv(const Call& c);

}  // namespace severn::server
