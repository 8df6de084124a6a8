#pragma once
#include "lower/LoweredPolicy.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

namespace netsep::backends {

// The conntrack mark bits of the Linux backends' kill switches (nftables,
// iptables). Each kill-switch group of a firewall owns one bit of the upper
// half of the conntrack mark: bit 16 + the group's position in
// LoweredFirewall::switchGroups (sorted, stable while the policy names the
// same groups on that firewall, whatever their dates or state).
//
// A new connection gets the bit of EVERY group whose exception matches it,
// whether the group is switched on or not; it is then accepted if one of
// its groups is on. Packets of open connections are judged the same way,
// ahead of the established-connection accept: a connection survives while
// any group that admits it is on, exactly as a new one would be admitted
// (docs/audit.md, kill switch). Bits are set with a bitwise or, so the
// lower half of the mark stays free for other tools.
constexpr uint32_t kKillSwitchMarkMask = 0xffff0000;
constexpr std::size_t kMaxKillSwitchGroups = 16;

// Throws std::invalid_argument if `group` is not in fw.switchGroups or sits
// beyond the 16 bits (the capability check reports that case first).
uint32_t killSwitchBit(const lower::LoweredFirewall& fw, const std::string& group);

// "0x00010000"
std::string killSwitchBitText(const lower::LoweredFirewall& fw, const std::string& group);
// "0xffff0000"
std::string killSwitchMaskText();

} // namespace netsep::backends
