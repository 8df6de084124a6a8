#pragma once
#include <string_view>
#include <utility>
#include <vector>

namespace netsep::parse {

// The form of each statement, keyed by its leading keyword, as printed in a
// syntax error's note and in docs/reference.md (a unit test keeps the three
// -- grammar, this table, the reference -- in step).
const std::vector<std::pair<std::string_view, std::string_view>>& statementForms();

// The form of the statement that starts with `keyword`, or "".
std::string_view statementForm(std::string_view keyword);

} // namespace netsep::parse
