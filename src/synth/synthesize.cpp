#include "synth/synthesize.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <thread>

#include "core/error.h"
#include "core/rng.h"
#include "refdata/codelists.h"
#include "refdata/geography.h"
#include "refdata/organisations.h"
#include "refdata/standards.h"
#include "synth/condition_model.h"
#include "synth/gp_codes.h"
#include "synth/gp_record.h"
#include "synth/children_services.h"
#include "synth/hospital.h"
#include "synth/households.h"
#include "synth/linkage_calibration.h"
#include "synth/names.h"
#include "synth/nicknames.h"
#include "synth/outcomes.h"
#include "synth/partners.h"
#include "synth/person_identity.h"
#include "synth/population.h"

namespace severn::synth {
namespace fs = std::filesystem;
namespace {

struct Model {
  const SynthConfig& config;
  refdata::Geography geography;
  refdata::Organisations organisations;
  GpCodes gp;
  HospitalCodes hospital;
  RttModel rtt;
  OutcomeModel outcomes;
  NameTables names;
  Nicknames nicknames;
  const Households* households = nullptr;       // set once the population is built
  const IdentityMaker* identities = nullptr;
};

std::string conditions_text(const Person& p) {
  std::string s;
  for (int k = 0; k < kConditionCount; ++k) {
    const auto c = static_cast<Condition>(k);
    if (!p.has(c)) continue;
    if (!s.empty()) s += ';';
    s += condition_name(c);
    if (c == Condition::kDiabetes) s += p.diabetes_type == 1 ? "_type1" : "_type2";
    s += ':' + format_iso_date(p.on(c));
  }
  return s;
}

void render_person(const Person& p, const Model& m, GpScratch& scratch, Chunk& chunk) {
  const DrawnIdentity drawn = m.identities->drawn(p.id);
  const Identity id = m.identities->identity(p.id, drawn);
  ++chunk.tally.people;
  chunk.tally.double_barrelled += id.family_name.find_first_of("- ") != std::string::npos;
  chunk.tally.double_barrel_eligible += may_double_barrel(p.ethnicity);
  chunk.tally.adults += age_in_years(p.birth, p.last_day(m.config.end_date)) >= 18;
  const auto& practice = m.organisations.practices[p.practice];
  const auto& home = m.geography.lsoas[p.lsoa];
  const std::string sex(1, p.sex);
  const std::string ethnic(1, p.ethnicity_recorded ? p.ethnicity : 'Z');
  {
    CsvRow r = row(chunk, Extract::kGpPatients);
    r.text(id.nhs_number).text(id.family_name).text(id.given_name).text(sex).date(p.birth);
    if (p.death == kNoDate) r.empty();
    else r.date(p.death);
    r.text(id.postcode).text(home.code).text(ethnic).text(practice.code);
  }
  if (p.previous_practice != 0xFF) {
    Rng rng(m.config.seed, p.id, "previous-registration");
    // At least one day long: the earlier registration ends the day before the current one starts.
    const Days start =
        std::max(p.birth, p.registered_from - 1 - static_cast<Days>(rng.exponential(8 * 365.25)));
    row(chunk, Extract::kGpRegistrations)
        .text(id.nhs_number).text(m.organisations.practices[p.previous_practice].code).date(start)
        .date(p.registered_from - 1);
  }
  {
    CsvRow r = row(chunk, Extract::kGpRegistrations);
    r.text(id.nhs_number).text(practice.code).date(p.registered_from);
    if (p.death == kNoDate) r.empty();
    else r.date(p.death);
  }
  render_gp_record(p, m.config, m.gp, id.nhs_number, scratch, chunk);
  PersonPartners partners(p, id, drawn, m.nicknames, m.config);
  render_hospital(p, m.config, m.hospital, m.rtt, partners, chunk);
  render_outcomes(p, m.config, m.outcomes, home, id.nhs_number, id.postcode, partners, chunk);
  render_children_services(p, m.config, partners, chunk);
  partners.emit(chunk);

  std::string undiagnosed;
  auto add = [&](bool flag, const char* what) {
    if (!flag) return;
    if (!undiagnosed.empty()) undiagnosed += ';';
    undiagnosed += what;
  };
  add(p.undiagnosed_hypertension, "hypertension");
  add(p.undiagnosed_diabetes, "diabetes");
  add(p.dementia_undiagnosed, "dementia");
  static constexpr const char* kSmoking[] = {"never", "ex", "current"};
  static constexpr const char* kFrailty[] = {"fit", "mild", "moderate", "severe"};
  CsvRow r = row(chunk, Extract::kTruthPersons);
  r.integer(p.id).text(id.nhs_number).text(id.family_name).text(id.given_name).text(sex).date(p.birth);
  if (p.death == kNoDate) r.empty();
  else r.date(p.death);
  r.text(id.postcode).text(id.previous_postcode).text(home.code).integer(p.imd_decile)
      .text(practice.code).text(std::string(1, p.ethnicity))
      .text(kSmoking[static_cast<int>(p.smoking)]).text(kFrailty[static_cast<int>(p.frailty)])
      .text(conditions_text(p)).text(undiagnosed);
  const Kin& kin = m.households->kin[p.id];
  r.text(id.birth_family_name).integer(kin.household).text(household_role_name(kin.role));
  if (kin.twin == kNobody) r.empty();
  else r.integer(kin.twin);
}

class OutputFiles {
 public:
  explicit OutputFiles(const fs::path& dir) : dir_(dir) {
    for (int e = 0; e < kExtractCount; ++e) {
      const fs::path path = dir / spec(static_cast<Extract>(e)).path;
      fs::create_directories(path.parent_path());
      FILE* f = std::fopen(path.c_str(), "wb");
      if (!f) throw InputError("cannot create " + path.string());
      std::setvbuf(f, nullptr, _IOFBF, 1 << 20);
      files_[static_cast<std::size_t>(e)] = f;
      write(e, std::string(spec(static_cast<Extract>(e)).header) + "\n");
    }
  }
  ~OutputFiles() {
    for (FILE* f : files_)
      if (f) std::fclose(f);
  }
  void write(int e, const std::string& text) {
    if (text.empty()) return;
    if (std::fwrite(text.data(), 1, text.size(), files_[static_cast<std::size_t>(e)]) != text.size())
      throw InputError("write failed in " + dir_.string() + " (disk full?)");
  }
  void finish() {
    for (auto& f : files_) {
      if (std::fflush(f) != 0 || ::fsync(fileno(f)) != 0 || std::fclose(f) != 0)
        throw InputError("could not complete the files in " + dir_.string());
      f = nullptr;
    }
  }

 private:
  fs::path dir_;
  std::array<FILE*, kExtractCount> files_{};
};

void fsync_dir(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

// Fails early, before any work, when the output cannot be written.
fs::path prepare_staging(const SynthConfig& config) {
  std::error_code ec;
  const fs::path out = fs::absolute(config.out).lexically_normal();
  if (fs::exists(out, ec) && !config.overwrite)
    throw InputError("output directory '" + config.out.string() +
                     "' already exists; choose another --out or add --overwrite");
  if (fs::exists(out, ec) && !fs::is_directory(out, ec))
    throw InputError("--out '" + config.out.string() + "' exists and is not a directory");
  const fs::path parent = out.parent_path();
  if (!fs::is_directory(parent, ec))
    throw InputError("cannot write --out '" + config.out.string() + "': directory '" +
                     parent.string() + "' does not exist");
  const fs::path staging = parent / ("." + out.filename().string() + ".partial-" + std::to_string(::getpid()));
  fs::remove_all(staging, ec);
  if (!fs::create_directory(staging, ec))
    throw InputError("cannot write --out '" + config.out.string() + "': " +
                     (ec ? ec.message() : std::string("cannot create ") + staging.string()));
  return staging;
}

void publish(const fs::path& staging, const SynthConfig& config) {
  const fs::path out = fs::absolute(config.out).lexically_normal();
  std::error_code ec;
  fs::path old;
  if (fs::exists(out, ec)) {
    old = out.parent_path() / ("." + out.filename().string() + ".old-" + std::to_string(::getpid()));
    fs::rename(out, old);
  }
  fs::rename(staging, out);
  fsync_dir(out.parent_path());
  if (!old.empty()) fs::remove_all(old, ec);
}

}  // namespace

SynthReport synthesize(const SynthConfig& config) {
  validate(config);
  const auto t0 = std::chrono::steady_clock::now();
  const auto dir = refdata::DataDir::resolve(config.data_dir);
  Model m{config,
          refdata::load_geography(dir),
          refdata::load_organisations(dir),
          {}, {}, {}, {}, NameTables::load(), Nicknames::load()};
  const auto library = refdata::CodelistLibrary::load(dir);
  const auto cfas = refdata::load_cfas2(dir);
  const auto targets = load_targets(refdata::load_published_figures(dir));
  m.gp = build_gp_codes(library);
  m.hospital = build_hospital_codes(library);
  const fs::path staging = prepare_staging(config);

  SynthReport report;
  try {
    Population pop = build_population(config, m.geography, m.organisations);
    const Households households =
        build_households(pop.people, changed_family_names(pop.people, m.names, m.organisations, config),
                         m.organisations, config);
    const IdentityMaker identities(pop.people, households, m.names, m.organisations, config);
    m.households = &households;
    m.identities = &identities;
    const ConditionOutcome conditions = assign_conditions(config, targets, cfas, pop);
    assign_cancer_sites(config, pop.people);
    m.rtt = build_rtt_model(config, targets, pop.people, pop.alive);
    m.outcomes = build_outcome_model(library, config, targets, pop.people);

    OutputFiles files(staging);
    std::array<std::int64_t, kExtractCount> rows{};
    Tally tally;
    const std::size_t chunk_size = 1024;
    const std::size_t n_chunks = (pop.people.size() + chunk_size - 1) / chunk_size;
    const int threads = config.threads > 0 ? config.threads
                        : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    const std::size_t window = static_cast<std::size_t>(threads) * 4;
    std::vector<std::unique_ptr<Chunk>> ready(n_chunks);
    std::atomic<std::size_t> next{0};
    std::size_t written = 0;
    std::mutex mu;
    std::condition_variable cv;
    std::exception_ptr failure;
    auto worker = [&] {
      GpScratch scratch;
      for (;;) {
        const std::size_t k = next++;
        if (k >= n_chunks) return;
        {
          std::unique_lock lock(mu);
          cv.wait(lock, [&] { return k < written + window || failure; });
          if (failure) return;
        }
        auto chunk = std::make_unique<Chunk>();
        try {
          const std::size_t end = std::min(pop.people.size(), (k + 1) * chunk_size);
          for (std::size_t i = k * chunk_size; i < end; ++i) render_person(pop.people[i], m, scratch, *chunk);
        } catch (...) {
          std::lock_guard lock(mu);
          failure = std::current_exception();
          cv.notify_all();
          return;
        }
        std::lock_guard lock(mu);
        ready[k] = std::move(chunk);
        cv.notify_all();
      }
    };
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back(worker);
    try {
      for (std::size_t k = 0; k < n_chunks; ++k) {
        std::unique_ptr<Chunk> chunk;
        {
          std::unique_lock lock(mu);
          cv.wait(lock, [&] { return ready[k] != nullptr || failure; });
          if (failure) break;
          chunk = std::move(ready[k]);
        }
        for (int e = 0; e < kExtractCount; ++e) {
          files.write(e, chunk->text[static_cast<std::size_t>(e)]);
          rows[static_cast<std::size_t>(e)] += chunk->rows[static_cast<std::size_t>(e)];
        }
        tally.add(chunk->tally);
        std::lock_guard lock(mu);
        ++written;
        cv.notify_all();
      }
    } catch (...) {
      std::lock_guard lock(mu);
      if (!failure) failure = std::current_exception();
      cv.notify_all();
    }
    for (auto& t : pool) t.join();
    if (failure) std::rethrow_exception(failure);
    files.finish();

    // The calibration report: every target beside what was generated.
    const double scale = static_cast<double>(config.people) / kReferencePeople;
    report.people_alive = static_cast<std::int64_t>(pop.alive);
    report.people_deceased = static_cast<std::int64_t>(pop.people.size() - pop.alive);
    for (int e = 0; e < kExtractCount; ++e)
      report.rows_per_file.emplace_back(spec(static_cast<Extract>(e)).path, rows[static_cast<std::size_t>(e)]);
    if (config.format == OutputFormat::kFhir) {
      report.fhir = write_gp_fhir(staging, library, static_cast<unsigned>(threads), config.end_date);
      // The manifest and calibration.md list the files the output holds: the FHIR files in place
      // of the CSVs they replaced.
      std::erase_if(report.rows_per_file, [&](const auto& f) {
        return std::find(report.fhir->removed.begin(), report.fhir->removed.end(), f.first) !=
               report.fhir->removed.end();
      });
      for (const auto& f : report.fhir->files) report.rows_per_file.push_back(f);
    }
    std::int64_t aged65 = 0, dm = 0, dm2 = 0, circ = 0, dem65 = 0;
    double dem_expected = 0;
    std::vector<std::int64_t> on_register(kConditionCount, 0);
    for (std::size_t i = 0; i < pop.alive; ++i) {
      const Person& p = pop.people[i];
      const int age = age_in_years(p.birth, config.end_date);
      aged65 += age >= 65;
      for (int k = 0; k < kConditionCount; ++k) on_register[static_cast<std::size_t>(k)] += p.has(static_cast<Condition>(k));
      if (p.has(Condition::kDiabetes)) ++dm, dm2 += p.diabetes_type == 2;
      circ += p.has(Condition::kChd) || p.has(Condition::kAf) || p.has(Condition::kStrokeTia) ||
              p.has(Condition::kHeartFailure) || p.has(Condition::kPad) || p.has(Condition::kOtherCirculatory);
      if (age >= 65) {
        dem_expected += refdata::cfas2_rate(cfas, age, p.sex);
        dem65 += p.has(Condition::kDementia);
      }
    }
    auto src = [&](const std::string& id) {
      for (const auto& t : targets.all)
        if (t.id == id) return t.source;
      return std::string();
    };
    auto& cal = report.calibration;
    const double alive = static_cast<double>(pop.alive);
    cal.push_back({"people registered and alive at the end date", "people", "--people", alive, alive});
    cal.push_back({"aged 65 or over", "%", src("aged_65_plus"), targets.aged_65_plus_pct, 100.0 * aged65 / alive});
    cal.push_back({"diagnosed hypertension", "people", src("hypertension"), targets.hypertension * scale,
                   static_cast<double>(on_register[idx(Condition::kHypertension)])});
    cal.push_back({"atrial fibrillation", "people", src("atrial_fibrillation"), targets.atrial_fibrillation * scale,
                   static_cast<double>(on_register[idx(Condition::kAf)])});
    cal.push_back({"diagnosed diabetes", "people", src("diabetes"), targets.diabetes * scale, static_cast<double>(dm)});
    cal.push_back({"type 2 share of diabetes", "%", src("diabetes_type2"), targets.diabetes_type2_pct,
                   dm ? 100.0 * dm2 / dm : 0});
    cal.push_back({"heart and circulatory disease", "people", src("circulatory"), targets.circulatory * scale,
                   static_cast<double>(circ)});
    for (const auto& c : conditions.calibration) {
      if (c.condition == "hypertension" || c.condition == "diabetes" || c.condition == "atrial_fibrillation" ||
          c.condition == "other_circulatory")
        continue;
      if (c.condition == "dementia") continue;
      cal.push_back({c.condition + " register", "people", c.source, c.target, static_cast<double>(c.drawn)});
    }
    cal.push_back({"dementia diagnosis rate, 65+ (diagnosed / CFAS II expected)", "%",
                   "NHS England Primary Care Dementia Data, December 2024: 65.6% (see docs/sources)", 65.6,
                   dem_expected > 0 ? 100.0 * dem65 / dem_expected : 0});
    cal.push_back({"open RTT pathways on 2024-12-31", "pathways", src("rtt_open"), targets.rtt_open * scale,
                   static_cast<double>(tally.rtt_open_at_snapshot)});
    cal.push_back({"open RTT pathways waiting over 18 weeks", "%", src("rtt_over_18w"), targets.rtt_over_18w_pct,
                   tally.rtt_open_at_snapshot ? 100.0 * tally.rtt_open_over_18w / tally.rtt_open_at_snapshot : 0});
    // Long waiters on the reported list (information: no published target is checked here).
    const double open = static_cast<double>(std::max<std::int64_t>(1, tally.rtt_open_at_snapshot));
    cal.push_back({"open RTT pathways waiting over 52 weeks", "%", "information", 0,
                   100.0 * tally.rtt_open_over_52w / open, false});
    cal.push_back({"open RTT pathways waiting over 65 weeks", "%", "information", 0,
                   100.0 * tally.rtt_open_over_65w / open, false});
    cal.push_back({"open RTT pathways waiting over 78 weeks", "%", "information", 0,
                   100.0 * tally.rtt_open_over_78w / open, false});
    cal.push_back({"staged cancers at stage 1 or 2", "%", src("cancer_early_stage"), targets.cancer_early_stage_pct,
                   tally.cancers_staged ? 100.0 * tally.cancers_early / tally.cancers_staged : 0});
    cal.push_back({"circulatory deaths per month", "deaths", src("cvd_deaths"), targets.cvd_deaths_per_month * scale,
                   static_cast<double>(tally.cvd_deaths) / (12.0 * config.years)});
    CalibrationRow info{"outpatient DNA rate, most / least deprived quintile", "ratio",
                        "expected > 1 (DNAs are more common in deprived areas)", 0,
                        tally.opa_least_deprived && tally.opa_dna_least_deprived
                            ? (static_cast<double>(tally.opa_dna_most_deprived) / std::max<std::int64_t>(1, tally.opa_most_deprived)) /
                                  (static_cast<double>(tally.opa_dna_least_deprived) / tally.opa_least_deprived)
                            : 0,
                        false};
    cal.push_back(info);
    cal.push_back({"emergency admissions per 1,000 people per year", "rate", "information", 0,
                   1000.0 * tally.emergency_admissions / alive / config.years, false});
    add_linkage_calibration(households.summary, tally, cal);
    report.partners = tally.partners;

    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    {
      std::ofstream md(staging / "calibration.md");
      md << calibration_markdown(report, config);
      std::ofstream csv(staging / "calibration.csv");
      csv << "measure,unit,target,generated,difference_pct,checked,source\n";
      for (const auto& c : report.calibration) {
        std::string src_q = c.source;
        for (std::size_t pos = 0; (pos = src_q.find('"', pos)) != std::string::npos; pos += 2) src_q.insert(pos, "\"");
        csv << '"' << c.measure << "\"," << c.unit << ',' << c.target << ',' << c.generated << ','
            << (c.target != 0 ? 100.0 * (c.generated - c.target) / c.target : 0) << ','
            << (c.checked ? "yes" : "no") << ",\"" << src_q << "\"\n";
      }
    }
    {
      std::ofstream mf(staging / "manifest.json");
      mf << "{\n  \"generator\": \"severn synth\",\n  \"seed\": " << config.seed
         << ",\n  \"people\": " << config.people << ",\n  \"end_date\": \"" << format_iso_date(config.end_date)
         << "\",\n  \"years\": " << config.years << ",\n  \"people_deceased\": " << report.people_deceased
         << ",\n  \"files\": {";
      for (std::size_t i = 0; i < report.rows_per_file.size(); ++i) {
        const bool ndjson = report.rows_per_file[i].first.ends_with(".ndjson");
        mf << (i ? "," : "") << "\n    \"" << report.rows_per_file[i].first << "\": {\""
           << (ndjson ? "lines" : "rows") << "\": " << report.rows_per_file[i].second << "}";
      }
      mf << "\n  }\n}\n";
    }
    fsync_dir(staging);
    publish(staging, config);
  } catch (...) {
    std::error_code ec;
    fs::remove_all(staging, ec);
    throw;
  }
  return report;
}

std::string calibration_markdown(const SynthReport& r, const SynthConfig& config) {
  std::string s = "# Synthetic ICS calibration\n\n";
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "`severn synth --people %lld --seed %llu --end %s --years %d%s`: %lld people alive at the "
                "end date, %lld who died during the history; generated in %.1f s.\n\n",
                static_cast<long long>(config.people), static_cast<unsigned long long>(config.seed),
                format_iso_date(config.end_date).c_str(), config.years,
                config.format == OutputFormat::kFhir ? " --format fhir" : "", static_cast<long long>(r.people_alive),
                static_cast<long long>(r.people_deceased), r.seconds);
  s += buf;
  s += "Counts are scaled from the published figure for 510,000 people to the population size. "
       "'Within 5%' applies to checked rows; '-' marks a target shown but not checked, because too few "
       "records or people are drawn for 5% to be expected.\n\n";
  s += "| measure | target | generated | difference | within 5% | source |\n|---|---:|---:|---:|:-:|---|\n";
  for (const auto& c : r.calibration) {
    const bool pct = c.unit == "%" || c.unit == "ratio" || c.unit == "rate";
    const double diff = c.target != 0 ? 100.0 * (c.generated - c.target) / c.target : 0;
    if (c.checked)
      std::snprintf(buf, sizeof buf, "| %s | %.*f | %.*f | %+.1f%% | %s | %s |\n", c.measure.c_str(), pct ? 1 : 0,
                    c.target, pct ? 1 : 0, c.generated, diff, std::abs(diff) <= 5 ? "yes" : "**no**",
                    c.source.c_str());
    else if (c.target != 0)  // a target too noisy to check at this size: shown, not judged
      std::snprintf(buf, sizeof buf, "| %s | %.2f | %.2f | %+.1f%% | - | %s |\n", c.measure.c_str(), c.target,
                    c.generated, diff, c.source.c_str());
    else
      std::snprintf(buf, sizeof buf, "| %s | | %.2f | | | %s |\n", c.measure.c_str(), c.generated, c.source.c_str());
    s += buf;
  }
  s += "\nPartner records by kind of perturbation (docs/data-model.md), as a share of each partner's records: "
       "generated, and in brackets the share its rates called for.\n\n";
  s += perturbations_by_partner_markdown(r.partners);
  s += r.fhir ? "\n| file | rows (NDJSON files: lines) |\n|---|---:|\n" : "\n| file | rows |\n|---|---:|\n";
  for (const auto& [f, n] : r.rows_per_file) {
    std::snprintf(buf, sizeof buf, "| %s | %lld |\n", f.c_str(), static_cast<long long>(n));
    s += buf;
  }
  return s;
}

}  // namespace severn::synth
