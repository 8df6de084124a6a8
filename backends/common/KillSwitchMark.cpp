#include "backends/common/KillSwitchMark.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace netsep::backends {

uint32_t killSwitchMark(const lower::LoweredFirewall& fw, const std::string& group) {
    const auto& groups = fw.killSwitchGroups; // sorted by lowering
    auto it = std::lower_bound(groups.begin(), groups.end(), group);
    if (it == groups.end() || *it != group)
        throw std::invalid_argument("kill-switch group has no rules on this firewall");
    return kKillSwitchMarkBase + static_cast<uint32_t>(it - groups.begin()) + 1;
}

std::string killSwitchMarkText(const lower::LoweredFirewall& fw, const std::string& group) {
    return fmt::format("{:#010x}", killSwitchMark(fw, group));
}

} // namespace netsep::backends
