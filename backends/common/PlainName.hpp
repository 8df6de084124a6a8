#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace netsep::backends {

// True when `s` has 1..maxLen characters from [A-Za-z0-9_-] and starts with
// a letter: a name every backend prints without quoting.
bool isPlainName(std::string_view s, std::size_t maxLen);

// The unclipped start of a mangled name for `raw`: an 'x' in front of an
// empty or non-letter start, then `raw` with every character outside
// [A-Za-z0-9_-] replaced by '_'.
std::string plainNameBase(std::string_view raw);

} // namespace netsep::backends
