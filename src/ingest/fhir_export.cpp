#include "ingest/fhir_export.h"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>

#include <algorithm>
#include <array>
#include <cstring>
#include <fstream>
#include <set>
#include <system_error>

#include "core/error.h"

namespace severn::ingest {
namespace {

namespace fs = std::filesystem;

// FHIR R4 4.0.1 resource types (hl7.org/fhir/R4/resourcelist.html), sorted for binary search.
constexpr std::array<std::string_view, 146> kResourceTypes{
    "Account", "ActivityDefinition", "AdverseEvent", "AllergyIntolerance", "Appointment", "AppointmentResponse",
    "AuditEvent", "Basic", "Binary", "BiologicallyDerivedProduct", "BodyStructure", "Bundle",
    "CapabilityStatement", "CarePlan", "CareTeam", "CatalogEntry", "ChargeItem", "ChargeItemDefinition", "Claim",
    "ClaimResponse", "ClinicalImpression", "CodeSystem", "Communication", "CommunicationRequest",
    "CompartmentDefinition", "Composition", "ConceptMap", "Condition", "Consent", "Contract", "Coverage",
    "CoverageEligibilityRequest", "CoverageEligibilityResponse", "DetectedIssue", "Device", "DeviceDefinition",
    "DeviceMetric", "DeviceRequest", "DeviceUseStatement", "DiagnosticReport", "DocumentManifest",
    "DocumentReference", "EffectEvidenceSynthesis", "Encounter", "Endpoint", "EnrollmentRequest",
    "EnrollmentResponse", "EpisodeOfCare", "EventDefinition", "Evidence", "EvidenceVariable", "ExampleScenario",
    "ExplanationOfBenefit", "FamilyMemberHistory", "Flag", "Goal", "GraphDefinition", "Group", "GuidanceResponse",
    "HealthcareService", "ImagingStudy", "Immunization", "ImmunizationEvaluation", "ImmunizationRecommendation",
    "ImplementationGuide", "InsurancePlan", "Invoice", "Library", "Linkage", "List", "Location", "Measure",
    "MeasureReport", "Media", "Medication", "MedicationAdministration", "MedicationDispense",
    "MedicationKnowledge", "MedicationRequest", "MedicationStatement", "MedicinalProduct",
    "MedicinalProductAuthorization", "MedicinalProductContraindication", "MedicinalProductIndication",
    "MedicinalProductIngredient", "MedicinalProductInteraction", "MedicinalProductManufactured",
    "MedicinalProductPackaged", "MedicinalProductPharmaceutical", "MedicinalProductUndesirableEffect",
    "MessageDefinition", "MessageHeader", "MolecularSequence", "NamingSystem", "NutritionOrder", "Observation",
    "ObservationDefinition", "OperationDefinition", "OperationOutcome", "Organization",
    "OrganizationAffiliation", "Parameters", "Patient", "PaymentNotice", "PaymentReconciliation", "Person",
    "PlanDefinition", "Practitioner", "PractitionerRole", "Procedure", "Provenance", "Questionnaire",
    "QuestionnaireResponse", "RelatedPerson", "RequestGroup", "ResearchDefinition", "ResearchElementDefinition",
    "ResearchStudy", "ResearchSubject", "RiskAssessment", "RiskEvidenceSynthesis", "Schedule",
    "SearchParameter", "ServiceRequest", "Slot", "Specimen", "SpecimenDefinition", "StructureDefinition",
    "StructureMap", "Subscription", "Substance", "SubstanceNucleicAcid", "SubstancePolymer",
    "SubstanceProtein", "SubstanceReferenceInformation", "SubstanceSourceMaterial",
    "SubstanceSpecification", "SupplyDelivery", "SupplyRequest", "Task", "TerminologyCapabilities",
    "TestReport", "TestScript", "ValueSet", "VerificationResult", "VisionPrescription"};

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// "Observation.003.ndjson.gz" -> {"Observation", 3}; part -1 when unnumbered. nullopt: not NDJSON.
struct NdjsonName {
  std::string type;
  long part = -1;
  bool gzip = false;
};
std::optional<NdjsonName> parse_ndjson_name(std::string_view name) {
  NdjsonName n;
  if (ends_with(name, ".gz")) {
    n.gzip = true;
    name.remove_suffix(3);
  }
  if (!ends_with(name, ".ndjson")) return std::nullopt;
  name.remove_suffix(7);
  const auto dot = name.rfind('.');
  if (dot != std::string_view::npos) {
    const auto digits = name.substr(dot + 1);
    if (!digits.empty() && digits.size() <= 6 &&
        std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      n.part = std::stol(std::string(digits));
      name = name.substr(0, dot);
    }
  }
  n.type = std::string(name);
  return n;
}

std::string read_small_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw InputError(p.string() + ": cannot be read");
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return s;
}

// The last path segment of a manifest URL (absolute or relative).
std::string url_file_name(std::string_view url) {
  const auto q = url.find_first_of("?#");
  if (q != std::string_view::npos) url = url.substr(0, q);
  const auto slash = url.rfind('/');
  return std::string(slash == std::string_view::npos ? url : url.substr(slash + 1));
}

void check_manifest(const fs::path& manifest, const std::string& shown, FhirExportFiles& out) {
  simdjson::dom::parser parser;
  const auto text = simdjson::padded_string(read_small_file(manifest));
  simdjson::dom::element doc;
  if (parser.parse(text).get(doc) != simdjson::SUCCESS || !doc.is_object())
    throw InputError(shown + ": not a Bulk Data manifest (not a JSON object)");
  std::set<std::string> listed;
  for (const char* key : {"output", "error"}) {
    simdjson::dom::array items;
    if (doc[key].get_array().get(items) != simdjson::SUCCESS) {
      if (std::strcmp(key, "output") == 0) {
        // Severn's own extract manifest (its end_date) shares the name: it lists no files.
        out.notes.push_back(shown + " has no \"output\" array: not a Bulk Data manifest, so not checked");
        return;
      }
      continue;
    }
    for (const auto item : items) {
      std::string_view url;
      if (item["url"].get_string().get(url) != simdjson::SUCCESS)
        throw InputError(shown + ": an entry of \"" + key + "\" has no url");
      listed.insert(url_file_name(url));
    }
  }
  for (const auto& name : listed) {
    if (!fs::exists(manifest.parent_path() / name))
      throw InputError(shown + ": lists " + name + ", which is not in the export directory");
  }
  for (const auto& f : out.files) {
    const auto base = f.path.filename().string();
    if (!listed.count(base)) out.notes.push_back(f.name + " is not listed in the manifest; read anyway");
  }
}

// NDJSON files, or JSON files other than a manifest (Severn's own extract manifest shares the name).
bool holds_fhir_files(const fs::path& dir) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (!e.is_regular_file(ec)) continue;
    const auto name = e.path().filename().string();
    if (parse_ndjson_name(name) || (ends_with(name, ".json") && name != "manifest.json")) return true;
  }
  return false;
}

FhirExportFiles list_export(const fs::path& dir, const std::string& relative) {
  FhirExportFiles out;
  out.dir = dir;
  out.name = relative;
  struct Sortable {
    std::string type;
    long part;
    std::string base;
    FhirFile file;
  };
  std::vector<Sortable> found;
  std::error_code ec;
  bool has_manifest = false;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (!e.is_regular_file(ec)) continue;
    const auto base = e.path().filename().string();
    FhirFile f;
    f.path = e.path();
    f.name = relative == "." ? base : relative + "/" + base;
    if (base == "manifest.json") {
      has_manifest = true;
      continue;
    }
    if (const auto n = parse_ndjson_name(base)) {
      f.ndjson = true;
      f.gzip = n->gzip;
      f.resource_type = is_fhir_resource_type(n->type) ? n->type : "";
      found.push_back({n->type, n->part, base, std::move(f)});
    } else if (ends_with(base, ".json")) {
      found.push_back({base, -1, base, std::move(f)});
    }
  }
  if (ec) throw InputError(dir.string() + ": cannot list the export directory: " + ec.message());
  std::sort(found.begin(), found.end(), [](const Sortable& a, const Sortable& b) {
    if (a.type != b.type) return a.type < b.type;
    if (a.part != b.part) return a.part < b.part;
    return a.base < b.base;
  });
  for (auto& s : found) out.files.push_back(std::move(s.file));
  if (has_manifest) check_manifest(dir / "manifest.json", (relative == "." ? "" : relative + "/") + "manifest.json", out);
  return out;
}

std::string excerpt(std::string_view s) {
  std::string out(s.substr(0, 80));
  if (s.size() > 80) out += "...";
  return out;
}

}  // namespace

bool is_fhir_resource_type(std::string_view name) {
  return std::binary_search(kResourceTypes.begin(), kResourceTypes.end(), name);
}

std::optional<FhirExportFiles> find_fhir_export(const fs::path& extract_dir) {
  std::error_code ec;
  const fs::path gp = extract_dir / "fhir" / "gp";
  if (fs::is_directory(gp, ec)) return list_export(gp, "fhir/gp");
  if (!fs::exists(extract_dir / "gp" / "patients.csv", ec) && holds_fhir_files(extract_dir))
    return list_export(extract_dir, ".");
  return std::nullopt;
}

FhirFileText load_fhir_file(const FhirFile& file) {
  FhirFileText out;
  if (!file.gzip) {
    out.inflated = read_small_file(file.path);
    out.size = out.inflated.size();
    return out;
  }
  std::string raw = read_small_file(file.path);
  std::string& text = out.inflated;
  z_stream z{};
  // 16 + MAX_WBITS: a gzip header, not a raw zlib stream.
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) throw std::runtime_error("zlib: cannot start inflating");
  z.next_in = reinterpret_cast<Bytef*>(raw.data());
  z.avail_in = static_cast<uInt>(std::min<std::size_t>(raw.size(), 1U << 30));
  std::size_t consumed_total = 0;
  std::array<char, 1 << 16> buffer;
  for (;;) {
    z.next_out = reinterpret_cast<Bytef*>(buffer.data());
    z.avail_out = buffer.size();
    const int rc = inflate(&z, Z_NO_FLUSH);
    text.append(buffer.data(), buffer.size() - z.avail_out);
    if (rc == Z_STREAM_END) {
      // Concatenated gzip members (what `cat a.gz b.gz` gives) are one file.
      consumed_total = static_cast<std::size_t>(reinterpret_cast<char*>(z.next_in) - raw.data());
      if (consumed_total < raw.size() && inflateReset(&z) == Z_OK) continue;
      break;
    }
    if (rc != Z_OK) {
      out.error = "gzip data broken after " + std::to_string(text.size()) + " bytes of text: " +
                  (z.msg ? z.msg : (rc == Z_BUF_ERROR ? "stream ends early" : "error " + std::to_string(rc)));
      break;
    }
    if (z.avail_in == 0) {
      const auto used = static_cast<std::size_t>(reinterpret_cast<char*>(z.next_in) - raw.data());
      if (used >= raw.size()) {
        out.error = "gzip data ends early after " + std::to_string(text.size()) + " bytes of text";
        break;
      }
      z.avail_in = static_cast<uInt>(std::min<std::size_t>(raw.size() - used, 1U << 30));
    }
  }
  inflateEnd(&z);
  out.size = text.size();
  return out;
}

NdjsonLines ndjson_lines(const FhirFile& file, std::string_view text, std::uint64_t size, std::uint64_t begin,
                         std::uint64_t end, std::string& buffer) {
  end = std::min(end, size);
  if (begin >= end) return {};
  // From one byte before the range: a line that starts before it is the previous range's.
  const std::uint64_t from = begin == 0 ? 0 : begin - 1;
  if (!file.gzip) {
    const int fd = ::open(file.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw InputError(file.path.string() + ": cannot be opened: " + std::strerror(errno));
    buffer.clear();
    std::uint64_t at = from, want = end;
    bool line_ends = false;
    // Read the range, then on in blocks until the line that crosses its end ends.
    while (!line_ends) {
      const std::size_t old = buffer.size();
      const std::uint64_t n = want - at;
      buffer.resize(old + n);
      std::size_t got = 0;
      while (got < n) {
        const ssize_t r = ::pread(fd, buffer.data() + old + got, n - got, static_cast<off_t>(at + got));
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        got += static_cast<std::size_t>(r);
      }
      buffer.resize(old + got);
      at += got;
      if (got < n || at >= size) break;  // the end of the file
      const auto nl = buffer.find('\n', std::max<std::size_t>(old, static_cast<std::size_t>(end - 1 - from)));
      line_ends = nl != std::string::npos && nl >= end - 1 - from;
      want = std::min<std::uint64_t>(size, at + (std::uint64_t{1} << 16));
    }
    ::close(fd);
    std::size_t start = 0;
    if (begin > 0) {
      const auto nl = buffer.find('\n');
      start = nl == std::string::npos ? buffer.size() : nl + 1;
    }
    // Lines that start before `end`: up to the first newline at or after end - 1.
    std::size_t stop = buffer.size();
    const std::size_t last = static_cast<std::size_t>(end - 1 - from);
    if (last < buffer.size()) {
      const auto nl = buffer.find('\n', last);
      if (nl != std::string::npos) stop = nl + 1;
    }
    if (start >= stop) return {};
    const std::size_t used = stop;
    buffer.resize(used + simdjson::SIMDJSON_PADDING, '\0');
    return {std::string_view(buffer.data() + start, stop - start), true};
  }
  std::size_t start = static_cast<std::size_t>(begin);
  if (begin > 0) {
    const auto nl = text.find('\n', static_cast<std::size_t>(from));
    start = nl == std::string_view::npos ? text.size() : nl + 1;
  }
  std::size_t stop = text.size();
  const auto nl = text.find('\n', static_cast<std::size_t>(end - 1));
  if (nl != std::string_view::npos) stop = nl + 1;
  if (start >= stop) return {};
  return {text.substr(start, stop - start), false};
}

void for_each_ndjson_resource(std::string_view text, std::int64_t first_line, simdjson::dom::parser& parser,
                              const std::function<void(const FhirLocated&)>& resource,
                              const std::function<void(const FhirUnreadable&)>& unreadable, bool padded) {
  std::size_t pos = 0;
  std::int64_t line = first_line;
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    const bool last = nl == std::string_view::npos;
    std::string_view body = text.substr(pos, last ? std::string_view::npos : nl - pos);
    pos = last ? text.size() : nl + 1;
    const std::int64_t this_line = line++;
    if (!body.empty() && body.back() == '\r') body.remove_suffix(1);
    if (body.find_first_not_of(" \t") == std::string_view::npos) {
      unreadable({this_line, "", "", "empty line: an NDJSON file holds one resource per line"});
      continue;
    }
    simdjson::dom::element doc;
    const auto err = parser.parse(body.data(), body.size(), !padded).get(doc);
    if (err != simdjson::SUCCESS) {
      unreadable({this_line, "", excerpt(body), std::string("not valid JSON: ") + simdjson::error_message(err)});
      continue;
    }
    if (!doc.is_object()) {
      unreadable({this_line, "", excerpt(body), "not a JSON object: a line holds one resource"});
      continue;
    }
    resource({this_line, "", "", doc});
  }
}

void for_each_json_file_resource(std::string_view text, simdjson::dom::parser& parser,
                                 const std::function<void(const FhirLocated&)>& resource,
                                 const std::function<void(const FhirUnreadable&)>& unreadable) {
  simdjson::dom::element doc;
  const auto err = parser.parse(text.data(), text.size(), true).get(doc);
  if (err != simdjson::SUCCESS) {
    unreadable({1, "", excerpt(text), std::string("not valid JSON: ") + simdjson::error_message(err)});
    return;
  }
  if (!doc.is_object()) {
    unreadable({1, "", excerpt(text), "not a JSON object"});
    return;
  }
  std::string_view type;
  if (doc["resourceType"].get_string().get(type) == simdjson::SUCCESS && type == "Bundle") {
    simdjson::dom::array entries;
    if (doc["entry"].get_array().get(entries) != simdjson::SUCCESS) return;  // an empty Bundle holds nothing
    std::int64_t index = 0;
    for (const auto entry : entries) {
      const std::string pointer = "/entry/" + std::to_string(index);
      ++index;
      simdjson::dom::element r;
      if (entry["resource"].get(r) != simdjson::SUCCESS || !r.is_object()) {
        unreadable({index, pointer + "/resource", "", "Bundle entry without a resource (a request or response only)"});
        continue;
      }
      std::string_view full_url;
      if (entry["fullUrl"].get_string().get(full_url) != simdjson::SUCCESS) full_url = {};
      const std::string resource_pointer = pointer + "/resource";
      resource({index, resource_pointer, full_url, r});
    }
    return;
  }
  resource({1, "", "", doc});
}

}  // namespace severn::ingest
