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
    // The name of the prefix's address entry on every vendor device:
    // kOwnedPrefix + name, "netsep-net-10_1_0_0-16". A vendor NameTable
    // would hand out exactly this (it is plain, at most 55 characters, and
    // distinct prefixes have distinct names; no other entry or group netsep
    // names starts with "netsep-net-" or "netsep-net6-": those are
    // "netsep-zone-", "-group-", "-saas-", "-declared", "-fqdn-", "-all"),
    // so the backends take it as it is: thousands of declared prefixes per
    // firewall, named without a table lookup.
    std::string owned;
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
