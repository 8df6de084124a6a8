#pragma once
#include "model/IpPrefix.hpp"

#include <string>
#include <vector>

namespace netsep::lower {

// What `netsep quarantine` isolates on one firewall, decided in compiler/
// (deploy/QuarantinePlan) before a backend sees it; backends only print it
// into the firewall's quarantine hook chain. Names are validated policy
// names; interface names passed the backend's interface check.

// A zone or group cut off on this firewall: nothing in or out, established
// connections included, except the access of QuarantineAccess zones.
struct QuarantineTarget {
    std::string name;                    // the zone or group
    bool group = false;                  // a group: cut by address only
    std::string zone;                    // its zone
    std::vector<std::string> interfaces; // this firewall's interfaces of that zone
    std::vector<model::IpPrefix> v4, v6; // the addresses cut off
};

// A zone that keeps the access the policy gives it to the quarantined hosts
// (forensics, administration): connections it opens into them, and their
// replies. A quarantine never opens what the policy does not allow.
struct QuarantineAccess {
    std::string zone;
    std::vector<std::string> interfaces; // its interfaces on this firewall
    std::vector<model::IpPrefix> v4, v6;
};

struct LoweredQuarantine {
    std::vector<QuarantineTarget> targets;
    std::vector<QuarantineAccess> access; // only zones with interfaces on this firewall
    // One line for artifact headers: "zone app; forensics access: zone soc".
    std::string summary;
};

} // namespace netsep::lower
