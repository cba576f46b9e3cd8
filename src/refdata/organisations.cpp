#include "refdata/organisations.h"

#include <algorithm>

#include "core/csv_table.h"
#include "core/error.h"

namespace severn::refdata {

const Practice* Organisations::find_practice(const std::string& code) const {
  for (const auto& p : practices)
    if (p.code == code) return &p;
  return nullptr;
}

const Pcn* Organisations::find_pcn(const std::string& code) const {
  for (const auto& p : pcns)
    if (p.code == code) return &p;
  return nullptr;
}

Organisations load_organisations(const DataDir& dir) {
  Organisations o;
  const auto pc = CsvTable::read_file(dir.require("organisations/pcns_stw.csv"));
  for (std::size_t r = 0; r < pc.rows(); ++r)
    o.pcns.push_back({pc.cell(r, "pcn_code"), pc.cell(r, "pcn_name"), pc.cell(r, "place")});
  std::sort(o.pcns.begin(), o.pcns.end(), [](auto& a, auto& b) { return a.code < b.code; });

  const auto pr = CsvTable::read_file(dir.require("organisations/practices_stw.csv"));
  const auto c_list = pr.column("registered_patients"), c_pcn = pr.column("pcn_code"),
             c_place = pr.column("place");
  for (std::size_t r = 0; r < pr.rows(); ++r) {
    Practice p;
    p.code = pr.cell(r, "practice_code");
    p.name = pr.cell(r, "practice_name");
    p.postcode = pr.cell(r, "practice_postcode");
    p.pcn_code = pr.cell(r, c_pcn);
    p.place = pr.cell(r, c_place);
    const auto n = pr.get_int(r, c_list);
    if (n <= 0) pr.fail(r, c_list, "list size must be positive");
    p.list_size = static_cast<int>(n);
    if (!o.find_pcn(p.pcn_code)) pr.fail(r, c_pcn, "PCN '" + p.pcn_code + "' not in pcns_stw.csv");
    if (p.place != "Shropshire" && p.place != "Telford and Wrekin")
      pr.fail(r, c_place, "Place must be 'Shropshire' or 'Telford and Wrekin'");
    o.practices.push_back(std::move(p));
  }
  std::sort(o.practices.begin(), o.practices.end(), [](auto& a, auto& b) { return a.code < b.code; });

  const auto lp = CsvTable::read_file(dir.require("organisations/lsoa_pcn_patients_stw.csv"));
  const auto c_l = lp.column("lsoa21_code"), c_p = lp.column("pcn_code"), c_n = lp.column("patients");
  for (std::size_t r = 0; r < lp.rows(); ++r) {
    LsoaPcnCount c{lp.cell(r, c_l), lp.cell(r, c_p), static_cast<int>(lp.get_int(r, c_n))};
    if (c.patients < 0) lp.fail(r, c_n, "negative count");
    if (!o.find_pcn(c.pcn_code)) lp.fail(r, c_p, "PCN '" + c.pcn_code + "' not in pcns_stw.csv");
    o.lsoa_pcn.push_back(std::move(c));
  }
  return o;
}

}  // namespace severn::refdata
