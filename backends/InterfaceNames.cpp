#include "backends/InterfaceNames.hpp"

#include <fmt/format.h>

#include <unordered_map>

namespace netsep::backends {

std::string Backend::interfaceNameProblem(std::string_view name) const {
    const Capabilities caps = capabilities();
    if (caps.maxInterfaceName == 0)
        return {};
    std::string_view extra = caps.interfaceNameChars ? caps.interfaceNameChars : "";
    bool ok = !name.empty() && name.size() <= caps.maxInterfaceName;
    for (char c : name)
        ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    extra.find(c) != std::string_view::npos);
    if (ok)
        return {};
    return fmt::format("at most {} characters from A-Z a-z 0-9{}", caps.maxInterfaceName,
                       extra.empty() ? std::string() : fmt::format(" and '{}'", extra));
}

void checkInterfaceNames(const model::Firewall& decl, const Backend& backend,
                         DiagnosticEngine& diags) {
    const std::string b = backend.name();
    for (const auto& i : decl.interfaces) {
        const std::string& printed = i.nameOn(b);
        std::string problem = backend.interfaceNameProblem(printed);
        if (problem.empty())
            continue;
        std::string hint =
            printed == i.name
                ? fmt::format("; give its name there with `interface {} zone ... on {} NAME`",
                              i.name, b)
                : std::string();
        diags.error("E501", i.spanOn(b),
                    fmt::format("backend '{}' on firewall '{}' cannot name interface '{}' ({}){}",
                                b, decl.name, printed, problem, hint));
    }
}

void checkInterfaceNames(const model::Firewall& decl, DiagnosticEngine& diags) {
    for (const auto& b : decl.backends)
        if (const Backend* backend = findBackend(b))
            checkInterfaceNames(decl, *backend, diags);
}

void checkInterfaceNames(const model::Policy& policy, DiagnosticEngine& diags) {
    for (const auto& fw : policy.firewalls)
        checkInterfaceNames(fw, diags);
}

namespace {

// Interface name -> the name `backend` prints; empty when none differs.
std::unordered_map<std::string, const std::string*> aliases(const model::Firewall& decl,
                                                            const std::string& backend) {
    std::unordered_map<std::string, const std::string*> renamed;
    for (const auto& i : decl.interfaces)
        if (const std::string& n = i.nameOn(backend); n != i.name)
            renamed.emplace(i.name, &n);
    return renamed;
}

void rename(lower::LoweredFirewall& fw,
            const std::unordered_map<std::string, const std::string*>& renamed) {
    auto one = [&](std::string& name) {
        if (auto it = renamed.find(name); it != renamed.end())
            name = *it->second;
    };
    for (auto& i : fw.interfaces)
        one(i.name);
    for (auto& p : fw.pairs) {
        for (auto& n : p.inInterfaces)
            one(n);
        for (auto& n : p.outInterfaces)
            one(n);
    }
}

} // namespace

const lower::LoweredFirewall& interfacesFor(const lower::LoweredFirewall& fw,
                                            const model::Firewall& decl, const std::string& backend,
                                            std::optional<lower::LoweredFirewall>& storage) {
    const auto renamed = aliases(decl, backend);
    if (renamed.empty())
        return fw;
    storage = fw;
    rename(*storage, renamed);
    return *storage;
}

InterfacesRenamed::InterfacesRenamed(lower::LoweredFirewall& fw, const model::Firewall& decl,
                                     const std::string& backend)
    : fw_(fw) {
    const auto renamed = aliases(decl, backend);
    if (renamed.empty())
        return;
    interfaces_ = fw.interfaces;
    pairs_.reserve(fw.pairs.size());
    for (const auto& p : fw.pairs)
        pairs_.emplace_back(p.inInterfaces, p.outInterfaces);
    rename(fw, renamed);
}

InterfacesRenamed::~InterfacesRenamed() {
    if (interfaces_.empty() && pairs_.empty())
        return;
    fw_.interfaces = std::move(interfaces_);
    for (std::size_t i = 0; i < pairs_.size(); ++i) {
        fw_.pairs[i].inInterfaces = std::move(pairs_[i].first);
        fw_.pairs[i].outInterfaces = std::move(pairs_[i].second);
    }
}

} // namespace netsep::backends
