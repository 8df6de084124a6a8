#pragma once
#include <string>
#include <string_view>

namespace netsep::backends {

// FNV-1a over the bytes, 32 bits, as 8 lowercase hex digits. Stable across
// machines and runs; used as the collision-breaking suffix of names.
std::string hash8(std::string_view text);

} // namespace netsep::backends
