#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace netsep::backends {

// `raw` with every character for which `allowed` is false replaced by '_',
// clipped to `maxBytes` (ending in "..." when clipped and maxBytes >= 3).
std::string sanitizeText(std::string_view raw, std::size_t maxBytes, bool (*allowed)(char));

// `s` cut to at most `n` bytes.
std::string clipBytes(std::string s, std::size_t n);

} // namespace netsep::backends
