#include "driver/CompileFilter.hpp"

#include <algorithm>

namespace netsep::driver {

std::string checkCompileFilter(const model::Policy& policy,
                               const std::vector<std::string>& firewalls,
                               const std::vector<std::string>& backends) {
    auto selected = [&](const model::Firewall& fw) {
        return firewalls.empty() ||
               std::find(firewalls.begin(), firewalls.end(), fw.name) != firewalls.end();
    };
    for (const auto& f : firewalls)
        if (std::none_of(policy.firewalls.begin(), policy.firewalls.end(),
                         [&](const model::Firewall& fw) { return fw.name == f; }))
            return "--firewall '" + f + "' is not declared in the policy";
    for (const auto& b : backends) {
        bool used = std::any_of(
            policy.firewalls.begin(), policy.firewalls.end(), [&](const model::Firewall& fw) {
                return selected(fw) &&
                       std::find(fw.backends.begin(), fw.backends.end(), b) != fw.backends.end();
            });
        if (!used)
            return "--backend '" + b + "' is not used by " +
                   (firewalls.empty() ? std::string("any firewall of the policy")
                                      : std::string("the selected firewall(s)")) +
                   "; nothing would be written";
    }
    return {};
}

} // namespace netsep::driver
