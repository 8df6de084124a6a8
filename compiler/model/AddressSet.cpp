#include "model/AddressSet.hpp"

#include <algorithm>

namespace netsep::model {

namespace {
u128 familyMax(Family f) {
    return f == Family::V4 ? u128(0xffffffffu) : ~u128(0);
}

bool rangeLess(const AddressSet::Range& a, const AddressSet::Range& b) {
    if (a.family != b.family)
        return a.family < b.family;
    return a.lo < b.lo;
}
} // namespace

AddressSet AddressSet::of(const std::vector<IpPrefix>& prefixes) {
    AddressSet s;
    for (const auto& p : prefixes)
        s.ranges_.push_back({p.family, p.first(), p.last()});
    s.normalize();
    return s;
}

void AddressSet::normalize() {
    std::sort(ranges_.begin(), ranges_.end(), rangeLess);
    std::vector<Range> out;
    for (const Range& r : ranges_) {
        if (!out.empty() && out.back().family == r.family &&
            (r.lo <= out.back().hi ||
             (out.back().hi != familyMax(r.family) && r.lo == out.back().hi + 1))) {
            out.back().hi = std::max(out.back().hi, r.hi);
        } else {
            out.push_back(r);
        }
    }
    ranges_ = std::move(out);
}

void AddressSet::add(const IpPrefix& p) {
    ranges_.push_back({p.family, p.first(), p.last()});
    normalize();
}

void AddressSet::add(const AddressSet& other) {
    ranges_.insert(ranges_.end(), other.ranges_.begin(), other.ranges_.end());
    normalize();
}

void AddressSet::subtract(const IpPrefix& p) {
    u128 lo = p.first(), hi = p.last();
    std::vector<Range> out;
    for (const Range& r : ranges_) {
        if (r.family != p.family || r.hi < lo || r.lo > hi) {
            out.push_back(r);
            continue;
        }
        if (r.lo < lo)
            out.push_back({r.family, r.lo, lo - 1});
        if (r.hi > hi)
            out.push_back({r.family, hi + 1, r.hi});
    }
    ranges_ = std::move(out);
}

bool AddressSet::hasFamily(Family f) const {
    return std::any_of(ranges_.begin(), ranges_.end(),
                       [f](const Range& r) { return r.family == f; });
}

bool AddressSet::contains(const IpPrefix& p) const {
    for (const Range& r : ranges_)
        if (r.family == p.family && r.lo <= p.first() && p.last() <= r.hi)
            return true;
    return false;
}

bool AddressSet::intersects(const AddressSet& other) const {
    size_t i = 0, j = 0;
    const auto& a = ranges_;
    const auto& b = other.ranges_;
    while (i < a.size() && j < b.size()) {
        if (a[i].family != b[j].family) {
            (a[i].family < b[j].family) ? ++i : ++j;
            continue;
        }
        if (a[i].hi < b[j].lo)
            ++i;
        else if (b[j].hi < a[i].lo)
            ++j;
        else
            return true;
    }
    return false;
}

bool AddressSet::containsAll(const AddressSet& other) const {
    for (const Range& o : other.ranges_) {
        bool covered = false;
        for (const Range& r : ranges_)
            if (r.family == o.family && r.lo <= o.lo && o.hi <= r.hi) {
                covered = true;
                break;
            }
        if (!covered)
            return false;
    }
    return true;
}

std::vector<IpPrefix> AddressSet::prefixes(Family f) const {
    std::vector<IpPrefix> out;
    unsigned maxLen = IpPrefix::maxLen(f);
    for (const Range& r : ranges_) {
        if (r.family != f)
            continue;
        u128 lo = r.lo;
        while (true) {
            // Largest aligned block starting at lo that stays within hi.
            unsigned bits = 0;
            while (bits < maxLen) {
                unsigned next = bits + 1;
                if (next == 128) {
                    if (lo == 0 && r.hi == ~u128(0))
                        bits = 128;
                    break;
                }
                u128 size = u128(1) << next;
                if ((lo & (size - 1)) != 0 || lo + (size - 1) > r.hi)
                    break;
                bits = next;
            }
            out.push_back({f, lo, static_cast<uint8_t>(maxLen - bits)});
            u128 end = bits >= 128 ? ~u128(0) : lo + ((u128(1) << bits) - 1);
            if (end >= r.hi)
                break;
            lo = end + 1;
        }
    }
    return out;
}

bool operator==(const AddressSet& a, const AddressSet& b) {
    if (a.ranges_.size() != b.ranges_.size())
        return false;
    for (size_t i = 0; i < a.ranges_.size(); ++i)
        if (a.ranges_[i].family != b.ranges_[i].family || a.ranges_[i].lo != b.ranges_[i].lo ||
            a.ranges_[i].hi != b.ranges_[i].hi)
            return false;
    return true;
}

} // namespace netsep::model
