#include "deploy/Quarantine.hpp"

#include "analysis/PolicyGraph.hpp"
#include "backends/Backend.hpp"
#include "backends/CapabilityCheck.hpp"
#include "backends/InterfaceNames.hpp"
#include "deploy/QuarantineImpact.hpp"
#include "driver/Version.hpp"
#include "lower/Lowering.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

namespace netsep::deploy {

namespace {

using model::Family;

std::string prefixList(const std::vector<model::IpPrefix>& v4,
                       const std::vector<model::IpPrefix>& v6, size_t shown = 6) {
    std::vector<std::string> all;
    for (const auto* v : {&v4, &v6})
        for (const auto& p : *v)
            all.push_back(p.str());
    std::string out;
    for (size_t i = 0; i < all.size() && i < shown; ++i)
        out += (i ? ", " : "") + all[i];
    if (all.size() > shown)
        out += fmt::format(" and {} more", all.size() - shown);
    return out.empty() ? "no addresses" : out;
}

std::string names(const analysis::PolicyGraph& g, const model::Policy& p,
                  const std::vector<uint32_t>& vs) {
    std::string out;
    for (uint32_t v : vs) {
        out += out.empty() ? "" : ", ";
        out += g.name(v, p);
        if (g.vertices[v].kind == analysis::VertexKind::Group)
            out += " (group)";
        else if (g.vertices[v].kind == analysis::VertexKind::Saas)
            out += " (saas)";
    }
    return out.empty() ? "none" : out;
}

std::string joined(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v)
        out += (out.empty() ? "" : ", ") + s;
    return out;
}

} // namespace

lower::LoweredQuarantine quarantineFor(const lower::LoweredQuarantine& q,
                                       const model::Firewall& decl, const std::string& backend) {
    lower::LoweredQuarantine out = q;
    auto rename = [&](std::vector<std::string>& names) {
        for (auto& n : names)
            for (const auto& i : decl.interfaces)
                if (i.name == n) {
                    n = i.nameOn(backend);
                    break;
                }
    };
    for (auto& t : out.targets)
        rename(t.interfaces);
    for (auto& a : out.access)
        rename(a.interfaces);
    return out;
}

QuarantineOutput quarantine(driver::Session& s, const QuarantineRequest& request,
                            const driver::CompileOptions& options, const std::string& outDir) {
    QuarantineOutput out;
    auto plan = planQuarantine(s.policy, request, s.diags);
    if (!plan)
        return out;
    const model::Policy& policy = s.policy;
    if (!options.firewalls.empty())
        plan->firewalls.erase(
            std::remove_if(plan->firewalls.begin(), plan->firewalls.end(),
                           [&](const FirewallQuarantine& f) {
                               return std::find(options.firewalls.begin(), options.firewalls.end(),
                                                policy.firewalls[f.firewall].name) ==
                                      options.firewalls.end();
                           }),
            plan->firewalls.end());

    lower::LoweringOptions lo;
    lo.asOf = options.asOf;
    lo.provenance = {s.digest.digest, kVersion, options.asOf.str()};
    for (const auto& f : plan->firewalls)
        lo.firewalls.push_back(policy.firewalls[f.firewall].name);
    std::vector<lower::LoweredFirewall> lowered;
    if (!lo.firewalls.empty())
        lowered = lower::lowerPolicy(policy, s.sources, lo);

    std::string targets;
    for (const auto& t : plan->targets)
        targets += (targets.empty() ? "" : ", ") + targetText(policy, t);
    std::string& r = out.report;
    fmt::format_to(std::back_inserter(r), "netsep quarantine: {}\n", targets);
    fmt::format_to(std::back_inserter(r), "policy {} ({}), as of {}\n", policy.name,
                   s.digest.digest.empty() ? "no digest" : s.digest.digest, options.asOf.str());
    std::vector<std::string> access;
    for (uint32_t z : plan->accessZones)
        access.push_back("zone " + policy.zones[z].name);
    fmt::format_to(std::back_inserter(r), "access kept: {}{}\n",
                   access.empty() ? "none (the targets are cut off completely)" : joined(access),
                   access.empty()           ? ""
                   : plan->accessFromPolicy ? " (quarantine-access in the policy)"
                                            : " (--allow-from)");
    for (const auto& n : plan->notes)
        r += "note: " + n + "\n";

    std::vector<std::pair<std::string, std::string>> applyHints; // quarantine, release paths
    std::vector<std::pair<std::string, std::string>> vendorHints;
    for (const auto& f : plan->firewalls) {
        const model::Firewall& decl = policy.firewalls[f.firewall];
        auto fw =
            std::find_if(lowered.begin(), lowered.end(),
                         [&](const lower::LoweredFirewall& l) { return l.name == decl.name; });
        if (fw == lowered.end())
            continue;
        std::vector<std::string> backendsUsed;
        for (const auto& b : fw->backends)
            if (options.backends.empty() ||
                std::find(options.backends.begin(), options.backends.end(), b) !=
                    options.backends.end())
                backendsUsed.push_back(b);
        fmt::format_to(std::back_inserter(r), "\nfirewall {} ({})\n", decl.name,
                       backendsUsed.empty() ? "no selected backend" : joined(backendsUsed));
        for (const auto& t : f.q.targets)
            fmt::format_to(std::back_inserter(r),
                           "  cuts {} {}: {}from or to {} (open connections too)\n",
                           t.group ? "group" : "zone", t.name,
                           t.group ? std::string()
                                   : "every packet in or out of " + joined(t.interfaces) + ", ",
                           prefixList(t.v4, t.v6));
        for (const auto& a : f.q.access)
            fmt::format_to(std::back_inserter(r),
                           "  keeps zone {} (via {}): connections it opens into the targets and "
                           "their replies, as far as the policy allows them\n",
                           a.zone, joined(a.interfaces));
        for (const auto& n : f.notes)
            r += "  note: " + n + "\n";
        for (const auto& name : backendsUsed) {
            const backends::Backend* backend = backends::findBackend(name);
            if (backend) {
                size_t before = s.diags.errorCount();
                backends::checkCapabilities(*fw, decl, *backend, s.diags);
                if (s.diags.errorCount() != before)
                    continue;
            }
            // Interfaces as this backend names them (`on BACKEND NAME`).
            std::optional<lower::LoweredFirewall> renamed;
            const lower::LoweredFirewall& view = backends::interfacesFor(*fw, decl, name, renamed);
            auto arts = backend ? backend->quarantineArtifacts(view, quarantineFor(f.q, decl, name))
                                : std::nullopt;
            if (!arts) {
                s.diags.error("E512", decl.span,
                              "backend '" + name + "' of firewall '" + decl.name +
                                  "' cannot emit a quarantine in this version of netsep");
                continue;
            }
            std::vector<std::string> paths;
            for (auto& a : *arts) {
                paths.push_back(decl.name + "/" + a.path);
                out.files[decl.name + "/" + a.path] = std::move(a.content);
            }
            r += "  files: " + joined(paths) + "\n";
            if (paths.size() == 2 && (name == "nftables" || name == "iptables"))
                applyHints.emplace_back(paths[0], paths[1]);
            else if (paths.size() >= 2)
                vendorHints.emplace_back(paths[0], paths[1]);
        }
    }

    // What the quarantine does to lateral movement towards the crown jewels.
    auto graph = analysis::PolicyGraph::build(policy, options.asOf);
    QuarantineImpact impact = assessQuarantine(graph, policy, *plan);
    fmt::format_to(std::back_inserter(r),
                   "\nlateral movement to crown jewels (pivot services, policy as of {}):\n",
                   options.asOf.str());
    if (impact.jewels.empty())
        r += "  the policy declares no crown-jewel zone\n";
    for (const auto& j : impact.jewels) {
        const std::string& jn = policy.zones[j.zone].name;
        if (j.quarantined) {
            fmt::format_to(std::back_inserter(r),
                           "  crown jewel {} is itself quarantined: nothing reaches it\n", jn);
            continue;
        }
        fmt::format_to(std::back_inserter(r), "  crown jewel {}:\n", jn);
        fmt::format_to(std::back_inserter(r), "    contained (quarantined, could reach it): {}\n",
                       names(graph, policy, j.contained));
        fmt::format_to(std::back_inserter(r),
                       "    cut off (reached it only through the quarantine): {}\n",
                       names(graph, policy, j.cutOff));
        fmt::format_to(std::back_inserter(r), "    still reach it: {}\n",
                       names(graph, policy, j.still));
    }
    for (const auto& w : impact.accessWarnings)
        r += "warning: " + w + "\n";

    if (!applyHints.empty()) {
        std::string dir = outDir.empty() ? "DIR" : outDir;
        r += "\napply (per firewall, rolled back by itself unless confirmed):\n";
        for (const auto& [q, rel] : applyHints)
            fmt::format_to(std::back_inserter(r), "  netsep apply {}/{} --confirm-within 120\n",
                           dir, q);
        r += "  netsep apply --confirm --firewall FIREWALL --backend BACKEND\n";
        r += "release (back to exactly the compiled state):\n";
        for (const auto& [q, rel] : applyHints)
            fmt::format_to(std::back_inserter(r), "  netsep apply {}/{}\n", dir, rel);
    }
    if (!vendorHints.empty()) {
        std::string dir = outDir.empty() ? "DIR" : outDir;
        r += "\nload on the vendor devices (each file's header says how; "
             "docs/backends/<vendor>.md, Quarantine):\n";
        for (const auto& [q, rel] : vendorHints)
            fmt::format_to(std::back_inserter(r), "  quarantine {}/{}, release {}/{}\n", dir, q,
                           dir, rel);
    }
    out.files["quarantine-report.txt"] = r;
    return out;
}

} // namespace netsep::deploy
