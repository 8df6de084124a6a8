#pragma once
#include "lower/LoweredPolicy.hpp"

#include <cstdint>
#include <string>

namespace netsep::backends {

// The conntrack mark that the Linux backends (nftables, iptables) put on
// every connection a kill-switch group's exception admits. The disable
// artifact drops packets carrying the marks of disabled groups ahead of the
// established-connection accept, so turning a group off also cuts the
// connections it already let through, not only new ones.
//
// 0x6e73 ("ns") in the high half, the group's position among the firewall's
// sorted kill-switch groups (from 1) in the low half: stable for a given
// set of groups, distinct per group. The mark is the whole 32-bit value, so
// a firewall whose other tools also set conntrack marks on these
// connections must not rely on the kill switch cutting them (documented in
// docs/audit.md).
constexpr uint32_t kKillSwitchMarkBase = 0x6e730000;

// Throws std::invalid_argument if `group` has no rules on `fw`.
uint32_t killSwitchMark(const lower::LoweredFirewall& fw, const std::string& group);

// "0x6e730001"
std::string killSwitchMarkText(const lower::LoweredFirewall& fw, const std::string& group);

} // namespace netsep::backends
