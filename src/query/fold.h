// Folding: the value of a scalar expression of the model whose inputs are given as literals. An
// engine uses it to tabulate an expression over the few values one input can take (a group column
// over a code dictionary, or over whole years of age) instead of evaluating it per person.
#pragma once
#include <optional>
#include <unordered_map>

#include "query/model.h"

namespace severn::query {

// The value of `id` with the nodes of `given` replaced by their literals, or nothing if the
// expression reads anything else per person (a column, a frame, the index date).
std::optional<Literal> fold(const Model& model, NodeId id, const std::unordered_map<NodeId, Literal>& given);

// The text kText makes of a literal: true/false, decimal integers, shortest round-trip floats,
// ISO dates, codes and strings as they are; nothing for null.
std::optional<std::string> literal_text(const Literal& v);

}  // namespace severn::query
