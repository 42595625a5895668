#include "qpdf_plus.h"
// qpdf 11 asks its users to say they use no PointerHolder (qpdf/PointerHolder.hh).
#define POINTERHOLDER_TRANSITION 4
#include <qpdf/Pl_Flate.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFWriter.hh>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string>
#include <vector>

void folio_qpdf_set_compression_level(int level) {
    Pl_Flate::setCompressionLevel(level);
}

namespace {

/// A number as a content stream writes it: up to four decimals, no trailing zeros.
std::string number(double v) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.4f", v < 0 ? 0.0 : (v > 1 ? 1.0 : v));
    std::string s(buffer);
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s.empty() ? "0" : s;
}

/// `r g b rg` and `r g b RG` in a content stream become `c m y k k` and `K`; every other token
/// goes through unchanged (marked content, text, inline images). Solid black (black ink alone,
/// 100 %) overprints, as presses want black text and rules: a hair of misregistration then shows
/// no white edge around them on a coloured ground. Every other colour knocks out (white above
/// all: white that overprinted would vanish). The overprint state follows `q` and `Q`; in a form
/// it is not known until the form sets it. One filter per content stream.
class RGBToInks : public QPDFObjectHandle::TokenFilter {
  public:
    RGBToInks(folio_rgb_to_cmyk convert, void *context, bool page) : convert(convert), context(context) {
        fill = stroke = page ? 0 : -1;   // a page starts knocking out; a form inherits its caller's state
    }

    void handleToken(QPDFTokenizer::Token const &token) override {
        auto type = token.getType();
        if (type == QPDFTokenizer::tt_integer || type == QPDFTokenizer::tt_real || type == QPDFTokenizer::tt_space) {
            pending.push_back(token);
            return;
        }
        if (type == QPDFTokenizer::tt_word && (token.getValue() == "rg" || token.getValue() == "RG") && setColour(token.getValue() == "rg")) return;
        flush();
        if (type == QPDFTokenizer::tt_word && token.getValue() == "q") saved.push_back({fill, stroke});
        if (type == QPDFTokenizer::tt_word && token.getValue() == "Q" && !saved.empty()) {
            fill = saved.back().first;
            stroke = saved.back().second;
            saved.pop_back();
        }
        writeToken(token);
    }

    void handleEOF() override { flush(); }

  private:
    /// The pending operands as inks, with the overprint they want; false if they are not three numbers.
    bool setColour(bool isFill) {
        // The last three numbers before the operator are its operands.
        std::vector<size_t> numbers;
        for (size_t i = 0; i < pending.size(); i++) {
            if (pending[i].getType() != QPDFTokenizer::tt_space) numbers.push_back(i);
        }
        if (numbers.size() < 3) return false;
        size_t first = numbers[numbers.size() - 3];
        double rgb[3], cmyk[4] = {0, 0, 0, 1};
        for (int k = 0; k < 3; k++) rgb[k] = std::atof(pending[numbers[numbers.size() - 3 + k]].getValue().c_str());
        for (size_t i = 0; i < first; i++) writeToken(pending[i]);
        pending.clear();
        if (isRegistration(rgb)) {
            knockOut(isFill, 0);
            write(isFill ? "/FolioRegistration cs 1 scn" : "/FolioRegistration CS 1 SCN");
            return true;
        }
        convert(context, rgb, cmyk);
        std::string c = number(cmyk[0]), m = number(cmyk[1]), y = number(cmyk[2]), k = number(cmyk[3]);
        knockOut(isFill, c == "0" && m == "0" && y == "0" && k == "1" ? 1 : 0);
        write(c + " " + m + " " + y + " " + k + (isFill ? " k" : " K"));
        return true;
    }

    /// The colour marks are drawn in (written by Cairo with up to six decimals).
    static bool isRegistration(double const *rgb) {
        double const r[3] = {FOLIO_REGISTRATION_RED, FOLIO_REGISTRATION_GREEN, FOLIO_REGISTRATION_BLUE};
        for (int k = 0; k < 3; k++) {
            if (std::abs(rgb[k] - r[k]) > 0.00002) return false;
        }
        return true;
    }

    /// Sets the overprint state (1 overprint, 0 knock out) the next painting wants, if it changes.
    void knockOut(bool isFill, int want) {
        int &state = isFill ? fill : stroke;
        if (state != want) {
            write(std::string(want ? "/FolioOverprint" : "/FolioKnockout") + (isFill ? "Fill" : "Stroke") + " gs ");
            state = want;
        }
    }

    void flush() {
        for (auto const &t : pending) writeToken(t);
        pending.clear();
    }
    folio_rgb_to_cmyk convert;
    void *context;
    std::vector<QPDFTokenizer::Token> pending;
    int fill, stroke;   // 1 overprint, 0 knock out, -1 not known
    std::vector<std::pair<int, int>> saved;
};

/// The graphics states the filter names, in `resources`' /ExtGState.
void addOverprintStates(QPDFObjectHandle resources, std::vector<std::pair<std::string, QPDFObjectHandle>> const &states) {
    auto g = resources.getKey("/ExtGState");
    if (!g.isDictionary()) {
        g = QPDFObjectHandle::newDictionary();
        resources.replaceKey("/ExtGState", g);
    }
    for (auto const &[name, state] : states) g.replaceKey(name, state);
}

/// /Separation /All: every plate at the tint (registration, for crop and bleed marks), in
/// `resources`' /ColorSpace as /FolioRegistration.
void addRegistration(QPDFObjectHandle resources, QPDFObjectHandle registration) {
    auto spaces = resources.getKey("/ColorSpace");
    if (!spaces.isDictionary()) {
        spaces = QPDFObjectHandle::newDictionary();
        resources.replaceKey("/ColorSpace", spaces);
    }
    spaces.replaceKey("/FolioRegistration", registration);
}

/// [/Separation /All /DeviceCMYK f], f taking the tint t to (t, t, t, t).
QPDFObjectHandle registrationSpace(QPDF &q) {
    auto f = QPDFObjectHandle::newDictionary();
    f.replaceKey("/FunctionType", QPDFObjectHandle::newInteger(2));
    f.replaceKey("/Domain", QPDFObjectHandle::newArray({QPDFObjectHandle::newInteger(0), QPDFObjectHandle::newInteger(1)}));
    auto zero = QPDFObjectHandle::newInteger(0), one = QPDFObjectHandle::newInteger(1);
    f.replaceKey("/C0", QPDFObjectHandle::newArray({zero, zero, zero, zero}));
    f.replaceKey("/C1", QPDFObjectHandle::newArray({one, one, one, one}));
    f.replaceKey("/N", one);
    return q.makeIndirectObject(QPDFObjectHandle::newArray({QPDFObjectHandle::newName("/Separation"), QPDFObjectHandle::newName("/All"),
                                                           QPDFObjectHandle::newName("/DeviceCMYK"), q.makeIndirectObject(f)}));
}

/// The four graphics states: overprint (nonzero mode: the inks a colour leaves at zero are not
/// knocked out) or knock out, for filling and for stroking.
std::vector<std::pair<std::string, QPDFObjectHandle>> overprintStates(QPDF &q) {
    std::vector<std::pair<std::string, QPDFObjectHandle>> states;
    for (bool on : {true, false}) {
        for (bool isFill : {true, false}) {
            auto d = QPDFObjectHandle::newDictionary();
            d.replaceKey("/Type", QPDFObjectHandle::newName("/ExtGState"));
            d.replaceKey(isFill ? "/op" : "/OP", QPDFObjectHandle::newBool(on));
            if (on) d.replaceKey("/OPM", QPDFObjectHandle::newInteger(1));
            states.push_back({std::string(on ? "/FolioOverprint" : "/FolioKnockout") + (isFill ? "Fill" : "Stroke"), q.makeIndirectObject(d)});
        }
    }
    return states;
}

bool isDeviceRGB(QPDFObjectHandle h) { return h.isName() && h.getName() == "/DeviceRGB"; }

/// Every DeviceRGB colour space in `h` (and the direct objects in it) made `icc`; every
/// resource dictionary given `/DefaultRGB`. `seen` keeps shared resource dictionaries to one visit.
void fixColourSpaces(QPDFObjectHandle h, QPDFObjectHandle icc, std::set<QPDFObjGen> &seen, int depth) {
    if (depth > 16) return;
    if (h.isArray()) {
        // [/Indexed /DeviceRGB hival lookup]
        if (h.getArrayNItems() >= 2 && h.getArrayItem(0).isName() && h.getArrayItem(0).getName() == "/Indexed" &&
            isDeviceRGB(h.getArrayItem(1))) {
            h.setArrayItem(1, icc);
        }
        for (int i = 0; i < h.getArrayNItems(); i++) {
            auto item = h.getArrayItem(i);
            if (!item.isIndirect()) fixColourSpaces(item, icc, seen, depth + 1);
        }
        return;
    }
    if (h.isStream()) h = h.getDict();
    if (!h.isDictionary()) return;
    for (auto const &key : h.getKeys()) {
        auto value = h.getKey(key);
        if ((key == "/ColorSpace" || key == "/CS") && isDeviceRGB(value)) {
            h.replaceKey(key, icc);
        } else if (key == "/Resources" && value.isDictionary()) {
            if (value.isIndirect() && !seen.insert(value.getObjGen()).second) continue;
            auto spaces = value.getKey("/ColorSpace");
            if (!spaces.isDictionary()) {
                spaces = QPDFObjectHandle::newDictionary();
                value.replaceKey("/ColorSpace", spaces);
            }
            if (!spaces.hasKey("/DefaultRGB")) spaces.replaceKey("/DefaultRGB", icc);
            if (!value.isIndirect()) fixColourSpaces(value, icc, seen, depth + 1);
        } else if (!value.isIndirect() && (value.isDictionary() || value.isArray())) {
            fixColourSpaces(value, icc, seen, depth + 1);
        }
    }
}

void fail(char *error, size_t size, char const *message) {
    if (size > 0) {
        std::strncpy(error, message, size - 1);
        error[size - 1] = 0;
    }
}

} // namespace

unsigned char *folio_qpdf_print_colours(const unsigned char *pdf, size_t length,
                                        const unsigned char *srgb, size_t srgb_length,
                                        folio_rgb_to_cmyk convert, void *context,
                                        size_t *out_length, char *error, size_t error_size) {
    try {
        QPDF q;
        q.setSuppressWarnings(true);
        q.processMemoryFile("folio.pdf", reinterpret_cast<char const *>(pdf), length);
        QPDFPageDocumentHelper pages(q);
        pages.pushInheritedAttributesToPage();

        // Soft masks draw luminosity, not colour: their forms keep their RGB.
        std::set<QPDFObjGen> masks;
        for (auto &object : q.getAllObjects()) {
            auto d = object.isStream() ? object.getDict() : object;
            if (!d.isDictionary()) continue;
            auto mask = d.getKey("/SMask");
            if (mask.isDictionary() && mask.getKey("/G").isStream()) masks.insert(mask.getKey("/G").getObjGen());
        }
        auto states = overprintStates(q);
        auto registration = registrationSpace(q);
        for (auto &page : pages.getAllPages()) {
            page.addContentTokenFilter(std::make_shared<RGBToInks>(convert, context, true));
            auto resources = page.getAttribute("/Resources", true);
            if (resources.isDictionary()) {
                addOverprintStates(resources, states);
                addRegistration(resources, registration);
            }
        }
        for (auto &object : q.getAllObjects()) {
            if (!object.isStream() || masks.count(object.getObjGen())) continue;
            auto d = object.getDict();
            bool form = d.getKey("/Subtype").isName() && d.getKey("/Subtype").getName() == "/Form";
            bool tiling = d.getKey("/PatternType").isInteger() && d.getKey("/PatternType").getIntValue() == 1;
            if (!form && !tiling) continue;
            object.addTokenFilter(std::make_shared<RGBToInks>(convert, context, false));
            if (!d.getKey("/Resources").isDictionary()) d.replaceKey("/Resources", QPDFObjectHandle::newDictionary());
            addOverprintStates(d.getKey("/Resources"), states);
            addRegistration(d.getKey("/Resources"), registration);
        }

        auto profile = QPDFObjectHandle::newStream(&q, std::string(reinterpret_cast<char const *>(srgb), srgb_length));
        profile.getDict().replaceKey("/N", QPDFObjectHandle::newInteger(3));
        auto icc = q.makeIndirectObject(QPDFObjectHandle::newArray({QPDFObjectHandle::newName("/ICCBased"), profile}));
        std::set<QPDFObjGen> seen;
        for (auto &object : q.getAllObjects()) fixColourSpaces(object, icc, seen, 0);

        QPDFWriter w(q);
        w.setOutputMemory();
        w.setObjectStreamMode(qpdf_o_generate);
        w.setDeterministicID(true);
        w.write();
        auto buffer = w.getBufferSharedPointer();
        auto *out = static_cast<unsigned char *>(std::malloc(buffer->getSize()));
        if (!out) {
            fail(error, error_size, "out of memory");
            return nullptr;
        }
        std::memcpy(out, buffer->getBuffer(), buffer->getSize());
        *out_length = buffer->getSize();
        return out;
    } catch (std::exception &e) {
        fail(error, error_size, e.what());
        return nullptr;
    }
}
