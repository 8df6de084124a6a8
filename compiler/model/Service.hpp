#pragma once
#include "diag/SourceSpan.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace netsep::model {

enum class Proto : uint8_t { Any, Tcp, Udp, Icmp, Icmpv6 };

struct PortRange {
    uint16_t lo = 0;
    uint16_t hi = 65535;
    bool all() const { return lo == 0 && hi == 65535; }
    friend auto operator<=>(const PortRange&, const PortRange&) = default;
};

// One protocol clause of a service: tcp/443, udp/1000-2000, icmp/echo-request.
struct ServiceEntry {
    Proto proto = Proto::Any;
    PortRange ports;      // tcp/udp; {0,65535} = every port
    int icmpType = -1;    // icmp/icmpv6; -1 = every type
    std::string icmpName; // the type as written (e.g. "echo-request"), for backends
};

struct Service {
    std::string name; // for inline specs ("tcp/23") the spec itself
    std::vector<ServiceEntry> entries;
    bool noPivot = false;
    bool tls = false;
    bool isInline = false; // written inline in a rule, not a `service` statement
    SourceSpan span;
};

const char* protoName(Proto p);

} // namespace netsep::model
