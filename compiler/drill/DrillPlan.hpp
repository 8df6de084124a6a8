#pragma once
#include "diag/SourceManager.hpp"
#include "model/Date.hpp"
#include "model/Policy.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace netsep::drill {

// What a drill asks for (`netsep killswitch POLICY GROUP --drill ...`).
struct DrillRequest {
    std::string group;
    std::string firewall; // "" = the one firewall that carries the group
    std::string backend;  // "nftables" or "iptables"
    model::Date asOf;
    // --endpoint-address NAME=IP: the host that stands for a saas endpoint.
    std::map<std::string, std::string> endpointAddresses;
};

// One namespace behind one firewall interface, with the host addresses the
// flows use (one address per endpoint and family).
struct DrillSegment {
    std::string iface; // the interface's name on the backend (the veth in the firewall)
    std::string zone;
    std::vector<std::string> addresses; // host addresses, IPv4 and IPv6
};

// One TCP flow the drill opens.
struct DrillFlow {
    enum class Role { Exception, Control } role = Role::Exception;
    std::string rule, where; // the policy rule (exception, or the access rule), file:line
    std::string family;      // "ipv4", "ipv6"
    std::string src, dst;    // host addresses
    std::string srcEndpoint, dstEndpoint; // "group scanners", "saas ai-scan-saas"
    uint16_t port = 0;
    size_t srcSegment = 0, dstSegment = 0;
};

struct DrillPlan {
    std::string firewall, backend, group;
    std::vector<DrillSegment> segments;
    std::vector<DrillFlow> flows;        // exception flows first, then one control flow
    std::vector<std::string> exceptions; // covered (at least one flow)
    std::vector<std::pair<std::string, std::string>> notCovered; // exception, why
};

// Builds the drill's topology and flows from the checked policy: the
// group's exceptions in force on the as-of date whose ends sit behind two
// interfaces of the firewall, one TCP flow per exception, service port and
// address family both ends have; and one control flow, an access rule's
// TCP flow through the same firewall that the compiled rules allow and no
// rule of the group decides (preferably from a source zone of the
// exceptions). nullopt with `error` when the drill cannot be made.
std::optional<DrillPlan> planDrill(const model::Policy& policy, const SourceManager& sources,
                                   const DrillRequest& request, std::string& error);

} // namespace netsep::drill
