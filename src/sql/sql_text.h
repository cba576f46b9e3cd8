// Small pieces of SQL text the compiler writes everywhere: quoted strings, identifiers, dates and
// the model's literals, in the SQL that PostgreSQL 15 and DuckDB both accept.
#pragma once
#include <string>

#include "core/date.h"
#include "query/model.h"

namespace severn::sql {

std::string quoted(const std::string& s);      // 'it''s'
std::string identifier(const std::string& s);  // "name"
std::string date_literal(Days d);              // DATE '2025-03-31'
std::string literal(const query::Literal& l);  // typed: CAST(7 AS BIGINT), DATE '...', TRUE, NULL ...

}  // namespace severn::sql
