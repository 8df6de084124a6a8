#include "backends/EmitUtil.hpp"

#include "backends/common/AsciiClass.hpp"
#include "backends/common/PlainName.hpp"
#include "backends/common/TextSanitize.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace netsep::backends::emit {

bool isSafeTextChar(char c) {
    return isAsciiAlnum(c) || c == ' ' || c == '_' || c == '.' || c == ':' || c == '/' ||
           c == '@' || c == '-';
}

std::string safeText(std::string_view text, std::size_t maxBytes) {
    return sanitizeText(text, maxBytes, [](char c) { return isSafeTextChar(c); });
}

std::string identifier(std::string_view raw, std::size_t maxLen) {
    if (isPlainName(raw, maxLen))
        return std::string(raw);
    std::string suffix = "_" + hash8(raw);
    std::size_t keep = maxLen > suffix.size() ? maxLen - suffix.size() : 0;
    return clipBytes(plainNameBase(raw), keep) + clipBytes(suffix, maxLen);
}

std::string NameTable::unique(std::string_view raw) {
    std::string name = identifier(raw, maxLen_);
    if (used_.insert(name).second)
        return name;
    for (unsigned n = 2;; ++n) {
        std::string suffix = fmt::format("_{}", n);
        std::size_t keep = maxLen_ > suffix.size() ? maxLen_ - suffix.size() : 0;
        std::string candidate = clipBytes(name, keep) + suffix;
        if (used_.insert(candidate).second)
            return candidate;
    }
}

bool isPlainInterfaceName(std::string_view name) {
    if (name.empty() || name.size() > 15 || name == "." || name == "..")
        return false;
    return std::all_of(name.begin(), name.end(),
                       [](char c) { return isAsciiAlnum(c) || c == '_' || c == '.' || c == '-'; });
}

void checkInterfaceNames(const lower::LoweredFirewall& fw, const char* backend) {
    auto check = [&](const std::string& name) {
        if (!isPlainInterfaceName(name))
            throw std::invalid_argument(
                fmt::format("{} backend: firewall '{}': '{}' is not a valid Linux interface name "
                            "(1-15 characters from A-Z a-z 0-9 _ . -)",
                            backend, safeText(fw.name, 64), safeText(name, 64)));
    };
    for (const auto& i : fw.interfaces)
        check(i.name);
    for (const auto& p : fw.pairs) {
        for (const auto& i : p.inInterfaces)
            check(i);
        for (const auto& i : p.outInterfaces)
            check(i);
    }
}

std::vector<model::PortRange> normalizePorts(const std::vector<model::PortRange>& ports) {
    std::vector<model::PortRange> sorted = ports;
    std::sort(sorted.begin(), sorted.end());
    std::vector<model::PortRange> out;
    for (auto r : sorted) {
        if (r.lo > r.hi)
            std::swap(r.lo, r.hi);
        if (!out.empty() && static_cast<uint32_t>(r.lo) <= static_cast<uint32_t>(out.back().hi) + 1)
            out.back().hi = std::max(out.back().hi, r.hi);
        else
            out.push_back(r);
    }
    if (out.size() == 1 && out.front().all())
        out.clear();
    return out;
}

std::string ruleComment(const lower::LoweredRule& rule, std::size_t maxBytes) {
    std::string text = fmt::format("policy rule {} at {}", rule.policyRule, rule.where);
    if (!rule.killSwitch.empty())
        text += fmt::format(" - kill-switch {}", rule.killSwitch);
    if (!rule.identity.empty())
        text += fmt::format(" - identity {} not enforced here", rule.identity);
    return safeText(text, maxBytes);
}

std::map<std::string, std::set<std::string>> commentLabels(const lower::LoweredFirewall& fw,
                                                           std::size_t maxBytes) {
    std::map<std::string, std::set<std::string>> out;
    for (const auto& p : fw.pairs)
        for (const auto& r : p.rules)
            out[r.policyRule].insert("comment \"" + ruleComment(r, maxBytes) + "\"");
    return out;
}

std::string logPrefix(const lower::LoweredRule& rule, std::size_t maxBytes) {
    std::string head = rule.action == lower::Action::Accept ? "netsep ACCEPT " : "netsep DROP ";
    std::string name = safeText(rule.policyRule, 1024);
    std::size_t room = maxBytes > head.size() + 1 ? maxBytes - head.size() - 1 : 0;
    if (name.size() > room)
        name.resize(room);
    return head + name + " ";
}

} // namespace netsep::backends::emit
