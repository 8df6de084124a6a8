#pragma once
#include "model/Policy.hpp"

#include <vector>

namespace netsep::model {

// The isolated zones the analysis relies on: those holding a group (only
// there does `isolated` remove hops -- the joins between a group and the
// rest of its zone). Their isolation is an assumption no emitted rule
// enforces; every output that depends on it says so.
std::vector<uint32_t> reliedOnIsolatedZones(const Policy& policy);

} // namespace netsep::model
