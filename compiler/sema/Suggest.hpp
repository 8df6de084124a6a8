#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace netsep::sema {

// The closest candidate within a small edit distance, or "" ("did you mean").
std::string closestName(std::string_view word, const std::vector<std::string>& candidates);

} // namespace netsep::sema
