#include "backends/common/KillSwitchMark.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace netsep::backends {

uint32_t killSwitchBit(const lower::LoweredFirewall& fw, const std::string& group) {
    const auto& groups = fw.switchGroups; // sorted by lowering
    auto it = std::lower_bound(groups.begin(), groups.end(), group);
    if (it == groups.end() || *it != group)
        throw std::invalid_argument("kill-switch group has no exception on this firewall");
    auto index = static_cast<std::size_t>(it - groups.begin());
    if (index >= kMaxKillSwitchGroups)
        throw std::invalid_argument(
            fmt::format("more than {} kill-switch groups on one firewall", kMaxKillSwitchGroups));
    return uint32_t(1) << (16 + index);
}

std::string killSwitchBitText(const lower::LoweredFirewall& fw, const std::string& group) {
    return fmt::format("{:#010x}", killSwitchBit(fw, group));
}

std::string killSwitchMaskText() {
    return fmt::format("{:#010x}", kKillSwitchMarkMask);
}

} // namespace netsep::backends
