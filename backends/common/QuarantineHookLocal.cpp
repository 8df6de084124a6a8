// Local stand-ins for the quarantine hook names until the `deploy` work on
// the nftables/iptables backends (which adds the hook chains to the
// compiled configs and defines these) is merged. Removed at that merge.
#include "backends/iptables/IptablesBackend.hpp"
#include "backends/nftables/NftablesBackend.hpp"

namespace netsep::backends {

std::string NftablesBackend::quarantineChain() {
    return "quarantine";
}

std::string IptablesBackend::quarantineChain(const lower::LoweredFirewall& fw) {
    (void)fw;
    return "netsep-quarantine";
}

} // namespace netsep::backends
