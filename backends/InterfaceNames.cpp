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

const lower::LoweredFirewall& interfacesFor(const lower::LoweredFirewall& fw,
                                            const model::Firewall& decl, const std::string& backend,
                                            std::optional<lower::LoweredFirewall>& storage) {
    std::unordered_map<std::string, const std::string*> renamed;
    for (const auto& i : decl.interfaces)
        if (const std::string& n = i.nameOn(backend); n != i.name)
            renamed.emplace(i.name, &n);
    if (renamed.empty())
        return fw;
    storage = fw;
    auto rename = [&](std::string& name) {
        if (auto it = renamed.find(name); it != renamed.end())
            name = *it->second;
    };
    for (auto& i : storage->interfaces)
        rename(i.name);
    for (auto& p : storage->pairs) {
        for (auto& n : p.inInterfaces)
            rename(n);
        for (auto& n : p.outInterfaces)
            rename(n);
    }
    return *storage;
}

} // namespace netsep::backends
