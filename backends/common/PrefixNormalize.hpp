#pragma once
#include "model/IpPrefix.hpp"

#include <vector>

namespace netsep::backends {

// Sorted by (family, address, length); prefixes covered by an earlier one
// dropped.
std::vector<model::IpPrefix> normalizePrefixes(const std::vector<model::IpPrefix>& prefixes);

} // namespace netsep::backends
