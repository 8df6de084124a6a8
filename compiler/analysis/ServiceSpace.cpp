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

// Adds one interval to a normalised list in O(log n) plus the shift of the
// vector's tail: a service of n ports costs n log n, not n sorts.
void insertIv(Ivs& v, Iv iv) {
    // First interval that ends at or after iv.lo - 1 (could touch iv).
    auto first = std::lower_bound(v.begin(), v.end(), iv.lo,
                                  [](const Iv& x, uint32_t lo) { return x.hi + 1 < lo; });
    auto last = first;
    while (last != v.end() && last->lo <= iv.hi + 1) {
        iv.lo = std::min(iv.lo, last->lo);
        iv.hi = std::max(iv.hi, last->hi);
        ++last;
    }
    if (first == last) {
        v.insert(first, iv);
        return;
    }
    *first = iv;
    v.erase(first + 1, last);
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

bool subsetIv(const Ivs& a, const Ivs& b) {
    size_t j = 0;
    for (const Iv& iv : a) {
        while (j < b.size() && b[j].hi < iv.lo)
            ++j;
        // b is normalised (disjoint, non-adjacent), so one interval must hold iv.
        if (j == b.size() || b[j].lo > iv.lo || b[j].hi < iv.hi)
            return false;
    }
    return true;
}

constexpr uint32_t kSignatureModulus = 61;

uint64_t portBits(const Ivs& v) {
    constexpr uint64_t all = (uint64_t(1) << kSignatureModulus) - 1;
    uint64_t bits = 0;
    for (const Iv& iv : v) {
        if (iv.hi - iv.lo + 1 >= kSignatureModulus)
            return all;
        for (uint32_t p = iv.lo; p <= iv.hi; ++p)
            bits |= uint64_t(1) << (p % kSignatureModulus);
    }
    return bits;
}

uint64_t mix(uint64_t h, uint64_t x) {
    h ^= x + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    return h;
}

uint64_t hashIv(uint64_t h, const Ivs& v) {
    for (const Iv& iv : v)
        h = mix(h, (uint64_t(iv.lo) << 16) | iv.hi);
    return mix(h, v.size());
}

} // namespace

ServiceSpace ServiceSpace::all() {
    ServiceSpace s;
    s.add(model::ServiceEntry{});
    return s;
}

ServiceSpace ServiceSpace::of(const model::Service& service) {
    // Every entry first, then one sort per protocol.
    ServiceSpace s;
    for (const auto& e : service.entries) {
        if (e.proto == model::Proto::Tcp)
            s.tcp_.push_back({std::min<uint32_t>(e.ports.lo, e.ports.hi), e.ports.hi});
        else if (e.proto == model::Proto::Udp)
            s.udp_.push_back({std::min<uint32_t>(e.ports.lo, e.ports.hi), e.ports.hi});
        else
            s.add(e);
    }
    normalize(s.tcp_);
    normalize(s.udp_);
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
        insertIv(tcp_, ports);
        return;
    case model::Proto::Udp:
        insertIv(udp_, ports);
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

ServiceSpace ServiceSpace::uniteAll(std::span<const ServiceSpace* const> spaces) {
    ServiceSpace r;
    size_t tcp = 0, udp = 0;
    for (const ServiceSpace* s : spaces) {
        tcp += s->tcp_.size();
        udp += s->udp_.size();
    }
    r.tcp_.reserve(tcp);
    r.udp_.reserve(udp);
    for (const ServiceSpace* s : spaces) {
        r.tcp_.insert(r.tcp_.end(), s->tcp_.begin(), s->tcp_.end());
        r.udp_.insert(r.udp_.end(), s->udp_.begin(), s->udp_.end());
        r.icmp_ |= s->icmp_;
        r.icmp6_ |= s->icmp6_;
        r.other_ = r.other_ || s->other_;
    }
    normalize(r.tcp_);
    normalize(r.udp_);
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

bool ServiceSpace::subsetOf(const ServiceSpace& o) const {
    if ((icmp_ & ~o.icmp_).any() || (icmp6_ & ~o.icmp6_).any() || (other_ && !o.other_))
        return false;
    return subsetIv(tcp_, o.tcp_) && subsetIv(udp_, o.udp_);
}

ServiceSpace::Signature ServiceSpace::signature() const {
    // Word 0: tcp ports; word 1: udp ports, then icmp, icmpv6, other.
    Signature s{portBits(tcp_), portBits(udp_)};
    if (icmp_.any())
        s[1] |= uint64_t(1) << 61;
    if (icmp6_.any())
        s[1] |= uint64_t(1) << 62;
    if (other_)
        s[1] |= uint64_t(1) << 63;
    return s;
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

uint64_t ServiceSpace::hash() const {
    uint64_t h = hashIv(0, tcp_);
    h = hashIv(h, udp_);
    h = mix(h, std::hash<std::bitset<256>>{}(icmp_));
    h = mix(h, std::hash<std::bitset<256>>{}(icmp6_));
    return mix(h, other_);
}

SpaceTable::SpaceTable() {
    intern(ServiceSpace{});
    all_ = intern(ServiceSpace::all());
}

SpaceTable::Id SpaceTable::intern(const ServiceSpace& s) {
    const uint64_t h = s.hash();
    for (auto [it, end] = index_.equal_range(h); it != end; ++it)
        if (spaces_[it->second] == s)
            return it->second;
    Id id = static_cast<Id>(spaces_.size());
    spaces_.push_back(s);
    signatures_.push_back(s.signature());
    index_.emplace(h, id);
    return id;
}

SpaceTable::Id SpaceTable::uniteAll(std::vector<Id>& ids) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    if (!ids.empty() && ids.front() == kEmpty)
        ids.erase(ids.begin());
    if (ids.empty())
        return kEmpty;
    if (ids.size() <= 2)
        return ids.size() == 1 ? ids[0] : unite(ids[0], ids[1]);
    if (std::binary_search(ids.begin(), ids.end(), all_))
        return all_;
    std::vector<const ServiceSpace*> parts;
    parts.reserve(ids.size());
    for (Id id : ids)
        parts.push_back(&spaces_[id]);
    return intern(ServiceSpace::uniteAll(parts));
}

bool SpaceTable::subset(Id a, Id b) const {
    if (a == b || a == kEmpty || b == all_)
        return true;
    if (b == kEmpty)
        return false;
    const auto& sa = signatures_[a];
    const auto& sb = signatures_[b];
    if ((sa[0] & ~sb[0]) || (sa[1] & ~sb[1]))
        return false;
    return spaces_[a].subsetOf(spaces_[b]);
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
