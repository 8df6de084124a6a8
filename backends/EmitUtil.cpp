#include "backends/EmitUtil.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace netsep::backends::emit {

namespace {

bool isAsciiAlnum(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool isAsciiLetter(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

bool isIdentChar(char c) {
    return isAsciiAlnum(c) || c == '_' || c == '-';
}

bool isIdentifier(std::string_view s, std::size_t maxLen) {
    if (s.empty() || s.size() > maxLen || !isAsciiLetter(s.front()))
        return false;
    return std::all_of(s.begin(), s.end(), isIdentChar);
}

// Cuts `s` to at most `n` bytes.
std::string clip(std::string s, std::size_t n) {
    if (s.size() > n)
        s.resize(n);
    return s;
}

} // namespace

bool isSafeTextChar(char c) {
    return isAsciiAlnum(c) || c == ' ' || c == '_' || c == '.' || c == ':' || c == '/' ||
           c == '@' || c == '-';
}

std::string safeText(std::string_view text, std::size_t maxBytes) {
    std::string out;
    out.reserve(std::min(text.size(), maxBytes));
    for (char c : text)
        out.push_back(isSafeTextChar(c) ? c : '_');
    if (out.size() > maxBytes) {
        if (maxBytes >= 3) {
            out.resize(maxBytes - 3);
            out += "...";
        } else {
            out.resize(maxBytes);
        }
    }
    return out;
}

std::string hash8(std::string_view text) {
    uint32_t h = 2166136261u;
    for (char c : text) {
        h ^= static_cast<unsigned char>(c);
        h *= 16777619u;
    }
    return fmt::format("{:08x}", h);
}

std::string identifier(std::string_view raw, std::size_t maxLen) {
    if (isIdentifier(raw, maxLen))
        return std::string(raw);
    std::string base;
    base.reserve(raw.size() + 1);
    if (raw.empty() || !isAsciiLetter(raw.front()))
        base.push_back('x');
    for (char c : raw)
        base.push_back(isIdentChar(c) ? c : '_');
    std::string suffix = "_" + hash8(raw);
    std::size_t keep = maxLen > suffix.size() ? maxLen - suffix.size() : 0;
    return clip(base, keep) + clip(suffix, maxLen);
}

std::string NameTable::unique(std::string_view raw) {
    std::string name = identifier(raw, maxLen_);
    if (used_.insert(name).second)
        return name;
    for (unsigned n = 2;; ++n) {
        std::string suffix = fmt::format("_{}", n);
        std::size_t keep = maxLen_ > suffix.size() ? maxLen_ - suffix.size() : 0;
        std::string candidate = clip(name, keep) + suffix;
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

std::vector<model::IpPrefix> normalizePrefixes(const std::vector<model::IpPrefix>& prefixes) {
    std::vector<model::IpPrefix> sorted = prefixes;
    // Sorting by (family, addr, len) puts a covering prefix before the
    // prefixes it covers.
    std::sort(sorted.begin(), sorted.end());
    std::vector<model::IpPrefix> out;
    for (const auto& p : sorted) {
        if (!out.empty() && out.back().contains(p))
            continue;
        out.push_back(p);
    }
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

std::string logPrefix(const lower::LoweredRule& rule, std::size_t maxBytes) {
    std::string head = rule.action == lower::Action::Accept ? "netsep ACCEPT " : "netsep DROP ";
    std::string name = safeText(rule.policyRule, 1024);
    std::size_t room = maxBytes > head.size() + 1 ? maxBytes - head.size() - 1 : 0;
    if (name.size() > room)
        name.resize(room);
    return head + name + " ";
}

bool protoFitsFamily(model::Proto proto, model::Family family) {
    if (proto == model::Proto::Icmp)
        return family == model::Family::V4;
    if (proto == model::Proto::Icmpv6)
        return family == model::Family::V6;
    return true;
}

} // namespace netsep::backends::emit
