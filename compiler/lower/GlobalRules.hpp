#pragma once
#include "lower/LoweredPolicy.hpp"

#include <vector>

namespace netsep::lower {

// The global denies of a firewall (LoweredRule::global), each once, in the
// order of their first zone pair: what a backend writes ahead of the
// zone-pair rules instead of once per pair. One policy rule gives one entry
// per protocol match.
std::vector<const LoweredRule*> globalRules(const LoweredFirewall& fw);

} // namespace netsep::lower
