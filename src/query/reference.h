// The reference tables group columns look values up in (query::Reference), built from the
// reference pack: practices -> PCN and Place (organisations/), LSOA -> IoD 2025 decile and
// quintile (geography/), the NHS Data Dictionary's 16+1 ethnic categories -> the ONS 2001 5+1
// groups, and whole years of age -> ESP 2013 five-year bands.
#pragma once
#include <string>
#include <unordered_map>

#include "query/model.h"

namespace severn::query {

// Key -> value of one reference table. Throws InputError if the pack's file is missing or bad.
std::unordered_map<std::string, std::string> load_reference(Reference r, const std::string& data_dir);

// Loads `r` into the model if it is not there yet.
void ensure_reference(Model& model, Reference r, const std::string& data_dir);

}  // namespace severn::query
