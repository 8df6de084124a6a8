#include "drill/DrillPlan.hpp"

#include "review/AddressIndex.hpp"
#include "review/Explain.hpp"

#include <algorithm>
#include <set>

namespace netsep::drill {

namespace {

using model::Endpoint;
using model::Family;

const char* familyName(Family f) {
    return f == Family::V4 ? "ipv4" : "ipv6";
}

class Planner {
public:
    Planner(const model::Policy& p, const SourceManager& s, const DrillRequest& r)
        : p_(p), sources_(s), req_(r), index_(p) {}

    std::optional<DrillPlan> run(std::string& error) {
        plan_.group = req_.group;
        plan_.backend = req_.backend;
        std::vector<uint32_t> exceptions;
        for (uint32_t i = 0; i < p_.rules.size(); ++i)
            if (p_.rules[i].exception && p_.rules[i].exception->killSwitch == req_.group)
                exceptions.push_back(i);
        if (exceptions.empty()) {
            error = "no exception of the policy names kill-switch group '" + req_.group + "'";
            return std::nullopt;
        }
        if (!chooseFirewall(exceptions, error))
            return std::nullopt;
        if (std::find(fw_->backends.begin(), fw_->backends.end(), req_.backend) ==
            fw_->backends.end()) {
            error = "firewall " + fw_->name + " is not compiled for " + req_.backend +
                    " (its backends do not list it)";
            return std::nullopt;
        }
        for (const auto& [name, address] : req_.endpointAddresses)
            if (!checkEndpointAddress(name, address, error))
                return std::nullopt;
        for (uint32_t r : exceptions)
            addExceptionFlows(r, error);
        if (!error.empty())
            return std::nullopt;
        if (plan_.exceptions.empty()) {
            error = "no exception of group '" + req_.group + "' can be drilled on firewall " +
                    fw_->name + ":";
            for (const auto& [e, why] : plan_.notCovered)
                error += "\n  " + e + ": " + why;
            return std::nullopt;
        }
        if (!addControlFlow(error))
            return std::nullopt;
        return plan_;
    }

private:
    // The interface of the firewall an endpoint is reached through (the
    // lowering's attachment: saas endpoints not `behind` a zone sit behind
    // the internet zone), or -1.
    int attachment(const model::Firewall& fw, const Endpoint& e) const {
        std::optional<uint32_t> zone;
        if (e.kind == Endpoint::Kind::Saas && !p_.saas[e.index].behindZone) {
            for (const auto& i : fw.interfaces)
                if (p_.zones[i.zone].kind == model::ZoneKind::Internet) {
                    zone = i.zone;
                    break;
                }
        } else {
            zone = p_.endpointZone(e);
        }
        if (!zone)
            return -1;
        for (size_t i = 0; i < fw.interfaces.size(); ++i)
            if (fw.interfaces[i].zone == *zone)
                return int(i);
        return -1;
    }

    bool crosses(const model::Firewall& fw, const model::Rule& r) const {
        for (const auto& s : r.from)
            for (const auto& d : r.to) {
                int a = attachment(fw, s), b = attachment(fw, d);
                if (a >= 0 && b >= 0 && a != b)
                    return true;
            }
        return false;
    }

    bool chooseFirewall(const std::vector<uint32_t>& exceptions, std::string& error) {
        std::vector<const model::Firewall*> carrying;
        for (const auto& fw : p_.firewalls)
            if (std::any_of(exceptions.begin(), exceptions.end(),
                            [&](uint32_t r) { return crosses(fw, p_.rules[r]); }))
                carrying.push_back(&fw);
        std::string names;
        for (const auto* fw : carrying)
            names += (names.empty() ? "" : ", ") + fw->name;
        if (!req_.firewall.empty()) {
            for (const auto* fw : carrying)
                if (fw->name == req_.firewall)
                    fw_ = fw;
            if (!fw_) {
                error = "firewall '" + req_.firewall + "' carries no exception of group '" +
                        req_.group + "'" + (names.empty() ? "" : " (carried by: " + names + ")");
                return false;
            }
        } else if (carrying.size() == 1) {
            fw_ = carrying.front();
        } else {
            error = carrying.empty()
                        ? "no firewall carries an exception of group '" + req_.group + "'"
                        : "group '" + req_.group + "' is carried by several firewalls (" + names +
                              "): say which with --firewall";
            return false;
        }
        plan_.firewall = fw_->name;
        return true;
    }

    bool checkEndpointAddress(const std::string& name, const std::string& address,
                              std::string& error) {
        auto it = std::find_if(p_.saas.begin(), p_.saas.end(),
                               [&](const auto& s) { return s.name == name; });
        if (it == p_.saas.end()) {
            error = "--endpoint-address " + name + "=...: no saas endpoint of that name";
            return false;
        }
        std::string perr;
        auto pfx = model::parsePrefix(address, perr);
        if (!pfx || pfx->len != model::IpPrefix::maxLen(pfx->family)) {
            error = "--endpoint-address " + name + "=" + address + ": not a host address";
            return false;
        }
        if (!it->addresses.contains(*pfx)) {
            error = "--endpoint-address " + name + "=" + address +
                    ": not an address of the endpoint's networks, so no compiled rule matches it "
                    "(the nftables and iptables backends emit networks, never FQDNs)";
            return false;
        }
        return true;
    }

    // The host that stands for an endpoint in one family, or "".
    std::string hostOf(const Endpoint& e, Family f) const {
        if (e.kind == Endpoint::Kind::Saas) {
            auto it = req_.endpointAddresses.find(p_.saas[e.index].name);
            if (it != req_.endpointAddresses.end()) {
                std::string perr;
                auto pfx = model::parsePrefix(it->second, perr);
                if (pfx && pfx->family == f)
                    return model::formatAddress(f, pfx->addr);
            }
        }
        if (!p_.endpointAddresses(e).hasFamily(f))
            return "";
        auto rep = index_.representative(e, f);
        return rep && rep->family == f ? model::formatAddress(f, rep->addr) : "";
    }

    std::string endpointText(const Endpoint& e) const {
        const char* kind = e.kind == Endpoint::Kind::Zone    ? "zone "
                           : e.kind == Endpoint::Kind::Group ? "group "
                                                             : "saas ";
        return kind + p_.endpointName(e);
    }

    size_t segment(int iface) {
        const auto& i = fw_->interfaces[size_t(iface)];
        const std::string& name = i.nameOn(req_.backend);
        for (size_t s = 0; s < plan_.segments.size(); ++s)
            if (plan_.segments[s].iface == name)
                return s;
        plan_.segments.push_back({name, p_.zones[i.zone].name, {}});
        return plan_.segments.size() - 1;
    }

    void addHost(size_t seg, const std::string& address) {
        auto& a = plan_.segments[seg].addresses;
        if (std::find(a.begin(), a.end(), address) == a.end())
            a.push_back(address);
    }

    std::vector<uint16_t> tcpPorts(const model::Rule& r) const {
        std::vector<uint16_t> ports;
        if (r.serviceAny)
            ports.push_back(443); // any service: one TCP port stands for all
        for (uint32_t s : r.services)
            for (const auto& e : p_.services[s].entries)
                if (e.proto == model::Proto::Tcp || e.proto == model::Proto::Any)
                    ports.push_back(e.ports.lo == 0 ? uint16_t(443) : e.ports.lo);
        std::sort(ports.begin(), ports.end());
        ports.erase(std::unique(ports.begin(), ports.end()), ports.end());
        return ports;
    }

    // Flows of one rule through the firewall: (src, dst, port, family).
    std::vector<DrillFlow> flowsOf(uint32_t ri, DrillFlow::Role role) {
        const model::Rule& r = p_.rules[ri];
        std::vector<DrillFlow> out;
        for (uint16_t port : tcpPorts(r))
            for (const auto& s : r.from)
                for (const auto& d : r.to) {
                    int a = attachment(*fw_, s), b = attachment(*fw_, d);
                    if (a < 0 || b < 0 || a == b)
                        continue;
                    for (Family f : {Family::V4, Family::V6}) {
                        std::string src = hostOf(s, f), dst = hostOf(d, f);
                        if (src.empty() || dst.empty())
                            continue;
                        DrillFlow fl;
                        fl.role = role;
                        fl.rule = r.name;
                        fl.where = sources_.where(r.span);
                        fl.family = familyName(f);
                        fl.src = src;
                        fl.dst = dst;
                        fl.srcEndpoint = endpointText(s);
                        fl.dstEndpoint = endpointText(d);
                        fl.port = port;
                        fl.srcSegment = size_t(a);
                        fl.dstSegment = size_t(b);
                        out.push_back(fl);
                    }
                }
        return out;
    }

    void place(DrillFlow& fl) {
        int a = int(fl.srcSegment), b = int(fl.dstSegment);
        fl.srcSegment = segment(a);
        fl.dstSegment = segment(b);
        addHost(fl.srcSegment, fl.src);
        addHost(fl.dstSegment, fl.dst);
        plan_.flows.push_back(fl);
    }

    void addExceptionFlows(uint32_t ri, std::string& error) {
        const model::Rule& r = p_.rules[ri];
        if (!crosses(*fw_, r)) {
            plan_.notCovered.emplace_back(r.name, "not carried by firewall " + fw_->name);
            return;
        }
        if (!model::inForce(r, req_.asOf)) {
            plan_.notCovered.emplace_back(r.name,
                                          "not in force on " + req_.asOf.str() + " (not emitted)");
            return;
        }
        for (const auto& d : r.to)
            if (d.kind == Endpoint::Kind::Saas && p_.saas[d.index].addresses.empty()) {
                error = "exception " + r.name + ": saas endpoint " + p_.saas[d.index].name +
                        " has FQDNs only; the nftables and iptables backends emit no FQDN "
                        "endpoints (compile refuses them), so there is no rule to drill: give "
                        "the endpoint `networks` (the addresses its FQDNs resolve to)";
                return;
            }
        auto flows = flowsOf(ri, DrillFlow::Role::Exception);
        if (flows.empty()) {
            plan_.notCovered.emplace_back(r.name, "no TCP service (the drill opens TCP flows)");
            return;
        }
        for (auto& fl : flows)
            place(fl);
        plan_.exceptions.push_back(r.name);
    }

    bool addControlFlow(std::string& error) {
        review::Explainer explainer(p_, sources_, req_.asOf, /*suggest=*/false);
        std::set<uint32_t> sourceZones;
        for (const auto& fl : plan_.flows)
            for (const auto& i : fw_->interfaces)
                if (i.nameOn(req_.backend) == plan_.segments[fl.srcSegment].iface)
                    sourceZones.insert(i.zone);
        std::vector<DrillFlow> preferred, others;
        for (uint32_t ri = 0; ri < p_.rules.size(); ++ri) {
            const model::Rule& r = p_.rules[ri];
            if (r.kind != model::RuleKind::Access || r.identity)
                continue;
            for (auto& fl : flowsOf(ri, DrillFlow::Role::Control)) {
                const auto& from = fw_->interfaces[fl.srcSegment];
                const auto& to = fw_->interfaces[fl.dstSegment];
                // The internet zone's representative is no real host.
                if (p_.zones[from.zone].kind == model::ZoneKind::Internet ||
                    p_.zones[to.zone].kind == model::ZoneKind::Internet)
                    continue;
                (sourceZones.count(from.zone) ? preferred : others).push_back(fl);
            }
        }
        preferred.insert(preferred.end(), others.begin(), others.end());
        size_t tried = 0;
        for (auto& fl : preferred) {
            if (++tried > 200)
                break;
            auto ex = explainer.explain({fl.src, fl.dst, "tcp/" + std::to_string(fl.port)});
            bool allowed = false;
            for (const auto& pass : ex.firewalls) {
                if (pass.firewall != fw_->name || !pass.allowsAll())
                    continue;
                allowed = std::none_of(pass.decisions.begin(), pass.decisions.end(),
                                       [&](const review::Decision& d) {
                                           return !d.rule || d.rule->killSwitch == req_.group ||
                                                  d.rule->kind == model::RuleKind::Exception;
                                       });
            }
            if (!allowed)
                continue;
            place(fl);
            return true;
        }
        error = "no control flow: firewall " + fw_->name +
                " allows no TCP flow of an access rule between two internal, dmz or saas "
                "endpoints that the kill switch must leave alone";
        return false;
    }

    const model::Policy& p_;
    const SourceManager& sources_;
    const DrillRequest& req_;
    review::AddressIndex index_;
    const model::Firewall* fw_ = nullptr;
    DrillPlan plan_;
};

} // namespace

std::optional<DrillPlan> planDrill(const model::Policy& policy, const SourceManager& sources,
                                   const DrillRequest& request, std::string& error) {
    error.clear();
    return Planner(policy, sources, request).run(error);
}

} // namespace netsep::drill
