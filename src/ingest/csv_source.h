// CSV extracts (RFC 4180 as in docs/data-model.md: UTF-8, comma separated, optional quotes with ""
// escapes, one header row). The header is matched to the table's fields by name (case and
// surrounding spaces ignored), so columns may come in any order; extra columns are ignored and
// named in the ledger. A UTF-8 byte-order mark and CRLF line ends are accepted.
//
// Every physical line is delivered, as a record or as a problem, so none vanishes from the ledger:
// blank lines before the header are problems (the first line with text is the header), and a file
// whose line ends are CR only (classic Mac OS) has each CR read as a line end.
//
// Large files are split into parts at line ends and read in parallel. A file containing a quote
// character is read as one part, because a quoted field may hold a line break.
#pragma once
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "ingest/source_reader.h"

namespace severn::ingest {

// Never throws for bad content: a missing, empty or malformed file is a status on the reader.
// Throws InputError only when an existing file cannot be read at all.
// `optional_fields`: fields an older extract's header may lack (FieldSpec::optional_column);
// when the header lacks one, its value is empty in every record, absent_fields() names it and
// the status detail says so once.
std::unique_ptr<SourceReader> open_csv_source(const std::filesystem::path& root,
                                              const std::string& relative,
                                              std::span<const std::string_view> fields,
                                              std::size_t part_bytes = std::size_t{8} << 20,
                                              std::span<const std::string_view> optional_fields = {});

}  // namespace severn::ingest
