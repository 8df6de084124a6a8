#include "backends/common/Hash8.hpp"

#include <fmt/format.h>

#include <cstdint>

namespace netsep::backends {

std::string hash8(std::string_view text) {
    uint32_t h = 2166136261u;
    for (char c : text) {
        h ^= static_cast<unsigned char>(c);
        h *= 16777619u;
    }
    return fmt::format("{:08x}", h);
}

} // namespace netsep::backends
