#pragma once
#include "model/Policy.hpp"

#include <string>
#include <vector>

namespace netsep::driver {

// Checks the --firewall and --backend filters of a compile or kill-switch
// run against the policy before anything is lowered or written: every
// --firewall must be declared, and every --backend must be used by a
// selected firewall. A filter that selects nothing would otherwise replace
// the output directory with an empty one. Returns "" or the usage error.
std::string checkCompileFilter(const model::Policy& policy,
                               const std::vector<std::string>& firewalls,
                               const std::vector<std::string>& backends);

} // namespace netsep::driver
