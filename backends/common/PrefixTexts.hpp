#pragma once
#include "model/IpPrefix.hpp"

#include <memory>
#include <string>
#include <vector>

namespace netsep::backends::vendor {

// A prefix with the texts the vendor backends print for it.
struct PrefixText {
    model::IpPrefix prefix;
    std::string address; // model::formatAddress: "10.1.0.0", "fd00:1::"
    std::string cidr;    // IpPrefix::str: "10.1.0.0/16"
    std::string name;    // prefixName: "net-10_1_0_0-16"
};

// normalizePrefixes(prefixes), each with its texts. Every vendor firewall of
// a policy prints the same declared prefixes (LoweredFirewall::declaredV4/
// declaredV6: thousands once zones have scattered IPv6 /64s), and formatting
// them again per firewall and backend was most of a compile; so a long list
// is formatted once and shared by content (the same list gives the same
// texts, whichever firewall or thread asks first). Short lists are
// formatted on each call.
std::shared_ptr<const std::vector<PrefixText>>
prefixTexts(const std::vector<model::IpPrefix>& prefixes);

} // namespace netsep::backends::vendor
