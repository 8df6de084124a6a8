#include "analysis/ServiceSpace.hpp"

#include <algorithm>

namespace netsep::analysis {

namespace {

using Iv = ServiceSpace::Interval;
using Ivs = std::vector<Iv>;

constexpr uint32_t kMaxPort = 65535;

void normalize(Ivs& v) {
    std::sort(v.begin(), v.end(),
              [](const Iv& a, const Iv& b) { return a.lo != b.lo ? a.lo < b.lo : a.hi < b.hi; });
    Ivs out;
    out.reserve(v.size());
    for (const Iv& iv : v) {
        if (!out.empty() && iv.lo <= out.back().hi + 1)
            out.back().hi = std::max(out.back().hi, iv.hi);
        else
            out.push_back(iv);
    }
    v = std::move(out);
}

Ivs uniteIv(const Ivs& a, const Ivs& b) {
    Ivs out;
    out.reserve(a.size() + b.size());
    out.insert(out.end(), a.begin(), a.end());
    out.insert(out.end(), b.begin(), b.end());
    normalize(out);
    return out;
}

Ivs intersectIv(const Ivs& a, const Ivs& b) {
    Ivs out;
    size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        uint32_t lo = std::max(a[i].lo, b[j].lo);
        uint32_t hi = std::min(a[i].hi, b[j].hi);
        if (lo <= hi)
            out.push_back({lo, hi});
        if (a[i].hi < b[j].hi)
            ++i;
        else
            ++j;
    }
    return out;
}

Ivs subtractIv(const Ivs& a, const Ivs& b) {
    Ivs out;
    size_t j = 0;
    for (Iv cur : a) {
        while (j < b.size() && b[j].hi < cur.lo)
            ++j;
        size_t k = j;
        bool gone = false;
        while (k < b.size() && b[k].lo <= cur.hi) {
            if (b[k].lo > cur.lo)
                out.push_back({cur.lo, b[k].lo - 1});
            if (b[k].hi >= cur.hi) {
                gone = true;
                break;
            }
            cur.lo = b[k].hi + 1;
            ++k;
        }
        if (!gone)
            out.push_back(cur);
    }
    return out;
}

void appendPorts(std::string& out, const char* proto, const Ivs& v) {
    if (v.empty())
        return;
    if (!out.empty())
        out += ", ";
    out += proto;
    if (v.size() == 1 && v[0].lo == 0 && v[0].hi == kMaxPort)
        return;
    out += '/';
    for (size_t i = 0; i < v.size(); ++i) {
        if (i)
            out += ',';
        out += std::to_string(v[i].lo);
        if (v[i].hi != v[i].lo)
            out += '-' + std::to_string(v[i].hi);
    }
}

void appendTypes(std::string& out, const char* proto, const std::bitset<256>& b) {
    if (b.none())
        return;
    if (!out.empty())
        out += ", ";
    out += proto;
    if (b.all())
        return;
    out += '/';
    bool first = true;
    for (unsigned t = 0; t < 256; ++t) {
        if (!b.test(t))
            continue;
        unsigned end = t;
        while (end + 1 < 256 && b.test(end + 1))
            ++end;
        if (!first)
            out += ',';
        first = false;
        out += std::to_string(t);
        if (end != t)
            out += '-' + std::to_string(end);
        t = end;
    }
}

void appendKey(std::string& k, const Ivs& v) {
    for (const Iv& iv : v) {
        k.push_back(static_cast<char>(iv.lo >> 8));
        k.push_back(static_cast<char>(iv.lo));
        k.push_back(static_cast<char>(iv.hi >> 8));
        k.push_back(static_cast<char>(iv.hi));
    }
    k.push_back('|');
}

void appendKey(std::string& k, const std::bitset<256>& b) {
    for (unsigned byte = 0; byte < 32; ++byte) {
        unsigned char c = 0;
        for (unsigned bit = 0; bit < 8; ++bit)
            if (b.test(byte * 8 + bit))
                c |= static_cast<unsigned char>(1u << bit);
        k.push_back(static_cast<char>(c));
    }
}

} // namespace

ServiceSpace ServiceSpace::all() {
    ServiceSpace s;
    s.add(model::ServiceEntry{});
    return s;
}

ServiceSpace ServiceSpace::of(const model::Service& service) {
    ServiceSpace s;
    for (const auto& e : service.entries)
        s.add(e);
    return s;
}

ServiceSpace ServiceSpace::of(const model::ServiceEntry& entry) {
    ServiceSpace s;
    s.add(entry);
    return s;
}

void ServiceSpace::add(const model::ServiceEntry& e) {
    auto addTypes = [&](std::bitset<256>& b) {
        if (e.icmpType < 0 || e.icmpType > 255)
            b.set();
        else
            b.set(static_cast<size_t>(e.icmpType));
    };
    Iv ports{std::min<uint32_t>(e.ports.lo, e.ports.hi), e.ports.hi};
    switch (e.proto) {
    case model::Proto::Any:
        tcp_ = {{0, kMaxPort}};
        udp_ = {{0, kMaxPort}};
        icmp_.set();
        icmp6_.set();
        other_ = true;
        return;
    case model::Proto::Tcp:
        tcp_.push_back(ports);
        normalize(tcp_);
        return;
    case model::Proto::Udp:
        udp_.push_back(ports);
        normalize(udp_);
        return;
    case model::Proto::Icmp:
        addTypes(icmp_);
        return;
    case model::Proto::Icmpv6:
        addTypes(icmp6_);
        return;
    }
}

ServiceSpace ServiceSpace::unite(const ServiceSpace& o) const {
    ServiceSpace r;
    r.tcp_ = uniteIv(tcp_, o.tcp_);
    r.udp_ = uniteIv(udp_, o.udp_);
    r.icmp_ = icmp_ | o.icmp_;
    r.icmp6_ = icmp6_ | o.icmp6_;
    r.other_ = other_ || o.other_;
    return r;
}

ServiceSpace ServiceSpace::intersect(const ServiceSpace& o) const {
    ServiceSpace r;
    r.tcp_ = intersectIv(tcp_, o.tcp_);
    r.udp_ = intersectIv(udp_, o.udp_);
    r.icmp_ = icmp_ & o.icmp_;
    r.icmp6_ = icmp6_ & o.icmp6_;
    r.other_ = other_ && o.other_;
    return r;
}

ServiceSpace ServiceSpace::subtract(const ServiceSpace& o) const {
    ServiceSpace r;
    r.tcp_ = subtractIv(tcp_, o.tcp_);
    r.udp_ = subtractIv(udp_, o.udp_);
    r.icmp_ = icmp_ & ~o.icmp_;
    r.icmp6_ = icmp6_ & ~o.icmp6_;
    r.other_ = other_ && !o.other_;
    return r;
}

bool ServiceSpace::empty() const {
    return tcp_.empty() && udp_.empty() && icmp_.none() && icmp6_.none() && !other_;
}

bool ServiceSpace::isAll() const {
    return *this == all();
}

std::string ServiceSpace::str() const {
    if (empty())
        return "none";
    if (isAll())
        return "any";
    std::string out;
    appendPorts(out, "tcp", tcp_);
    appendPorts(out, "udp", udp_);
    appendTypes(out, "icmp", icmp_);
    appendTypes(out, "icmpv6", icmp6_);
    if (other_)
        out += out.empty() ? "other protocols" : ", other protocols";
    return out;
}

std::string ServiceSpace::key() const {
    std::string k;
    appendKey(k, tcp_);
    appendKey(k, udp_);
    appendKey(k, icmp_);
    appendKey(k, icmp6_);
    k.push_back(other_ ? '1' : '0');
    return k;
}

SpaceTable::SpaceTable() {
    intern(ServiceSpace{});
    all_ = intern(ServiceSpace::all());
}

SpaceTable::Id SpaceTable::intern(const ServiceSpace& s) {
    std::string k = s.key();
    auto it = index_.find(k);
    if (it != index_.end())
        return it->second;
    Id id = static_cast<Id>(spaces_.size());
    spaces_.push_back(s);
    index_.emplace(std::move(k), id);
    return id;
}

SpaceTable::Id SpaceTable::unite(Id a, Id b) {
    if (a == b || b == kEmpty)
        return a;
    if (a == kEmpty)
        return b;
    if (a > b)
        std::swap(a, b);
    auto it = uniteMemo_.find(pair(a, b));
    if (it != uniteMemo_.end())
        return it->second;
    Id r = intern(spaces_[a].unite(spaces_[b]));
    uniteMemo_.emplace(pair(a, b), r);
    return r;
}

SpaceTable::Id SpaceTable::intersect(Id a, Id b) {
    if (a == b)
        return a;
    if (a == kEmpty || b == kEmpty)
        return kEmpty;
    if (a == all_)
        return b;
    if (b == all_)
        return a;
    if (a > b)
        std::swap(a, b);
    auto it = intersectMemo_.find(pair(a, b));
    if (it != intersectMemo_.end())
        return it->second;
    Id r = intern(spaces_[a].intersect(spaces_[b]));
    intersectMemo_.emplace(pair(a, b), r);
    return r;
}

SpaceTable::Id SpaceTable::subtract(Id a, Id b) {
    if (a == b || a == kEmpty || b == all_)
        return kEmpty;
    if (b == kEmpty)
        return a;
    auto it = subtractMemo_.find(pair(a, b));
    if (it != subtractMemo_.end())
        return it->second;
    Id r = intern(spaces_[a].subtract(spaces_[b]));
    subtractMemo_.emplace(pair(a, b), r);
    return r;
}

} // namespace netsep::analysis
