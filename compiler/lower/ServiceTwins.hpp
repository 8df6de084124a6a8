#pragma once
#include "lower/LoweredPolicy.hpp"

namespace netsep::lower {

// Two adjacent rules of one policy rule that differ only in the protocol,
// `a` over tcp and `b` over udp with the same ports (a service such as
// `tcp/53, udp/53` lowers to one rule per protocol). A backend may print
// them as one device rule over a service of both, which keeps their order,
// verdict, log, kill switch and traceability.
bool tcpUdpTwins(const LoweredRule& a, const LoweredRule& b);

} // namespace netsep::lower
