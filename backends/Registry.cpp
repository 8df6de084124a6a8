#include "backends/Backend.hpp"
#include "backends/cisco-asa/CiscoAsaBackend.hpp"
#include "backends/fortios/FortiosBackend.hpp"
#include "backends/iptables/IptablesBackend.hpp"
#include "backends/juniper-srx/JuniperSrxBackend.hpp"
#include "backends/nftables/NftablesBackend.hpp"
#include "backends/paloalto/PaloAltoBackend.hpp"

namespace netsep::backends {

const std::vector<std::unique_ptr<Backend>>& allBackends() {
    static const std::vector<std::unique_ptr<Backend>> backends = [] {
        std::vector<std::unique_ptr<Backend>> v;
        v.push_back(std::make_unique<IptablesBackend>());
        v.push_back(std::make_unique<NftablesBackend>());
        v.push_back(std::make_unique<CiscoAsaBackend>());
        v.push_back(std::make_unique<JuniperSrxBackend>());
        v.push_back(std::make_unique<PaloAltoBackend>());
        v.push_back(std::make_unique<FortiosBackend>());
        return v;
    }();
    return backends;
}

const Backend* findBackend(const std::string& name) {
    for (const auto& b : allBackends())
        if (name == b->name())
            return b.get();
    return nullptr;
}

} // namespace netsep::backends
