#include "core/io/SegTerminology.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <sstream>

namespace delineo::io {

namespace {

enum class Category { Anatomical, Tissue, Altered };

struct Structure {
  const char* names;  // '|'-separated lower-case aliases, each one or more words
  Category category;
  const char* code;     // SNOMED CT concept id
  const char* meaning;  // its code meaning, as DICOM PS3.16 and Slicer spell it
};

// Common structures of CT/MR annotation. Codes are SNOMED CT body structures and morphologies,
// the ones DICOM PS3.16 CID 7150-7166 and Slicer's default terminology use.
constexpr Structure kStructures[] = {
    {"liver", Category::Anatomical, "10200004", "Liver"},
    {"spleen", Category::Anatomical, "78961009", "Spleen"},
    {"kidney", Category::Anatomical, "64033007", "Kidney"},
    {"pancreas", Category::Anatomical, "15776009", "Pancreas"},
    {"gallbladder|gall bladder", Category::Anatomical, "28231008", "Gallbladder"},
    {"stomach", Category::Anatomical, "69695003", "Stomach"},
    {"esophagus|oesophagus", Category::Anatomical, "32849002", "Esophagus"},
    {"colon", Category::Anatomical, "71854001", "Colon"},
    {"bladder|urinary bladder", Category::Anatomical, "89837001", "Urinary bladder"},
    {"prostate", Category::Anatomical, "41216001", "Prostate"},
    {"adrenal gland|adrenal", Category::Anatomical, "23451007", "Adrenal gland"},
    {"heart", Category::Anatomical, "80891009", "Heart"},
    {"aorta", Category::Anatomical, "15825003", "Aorta"},
    {"artery", Category::Anatomical, "51114001", "Artery"},
    {"vein", Category::Anatomical, "29092000", "Vein"},
    {"lung", Category::Anatomical, "39607008", "Lung"},
    {"trachea", Category::Anatomical, "44567001", "Trachea"},
    {"brain", Category::Anatomical, "12738006", "Brain"},
    {"spinal cord", Category::Anatomical, "2748008", "Spinal cord"},
    {"eye|eyeball", Category::Anatomical, "81745001", "Eye"},
    {"thyroid|thyroid gland", Category::Anatomical, "69748006", "Thyroid"},
    {"breast", Category::Anatomical, "76752008", "Breast"},
    {"skin", Category::Anatomical, "39937001", "Skin"},
    {"skull|cranium", Category::Anatomical, "89546000", "Skull"},
    {"femur", Category::Anatomical, "71341001", "Femur"},
    {"rib", Category::Anatomical, "113197003", "Rib"},
    {"bone", Category::Tissue, "272673000", "Bone"},
    {"muscle", Category::Tissue, "91727004", "Muscle"},
    {"fat|adipose tissue|adipose", Category::Tissue, "55603005", "Adipose tissue"},
    {"tumor|tumour|neoplasm", Category::Altered, "108369006", "Neoplasm"},
    {"lesion", Category::Altered, "52988006", "Lesion"},
    {"mass", Category::Altered, "4147007", "Mass"},
    {"nodule", Category::Altered, "27925004", "Nodule"},
    {"cyst", Category::Altered, "441457006", "Cyst"},
    {"necrosis", Category::Altered, "6574001", "Necrosis"},
    {"hemorrhage|haemorrhage|bleed", Category::Altered, "50960005", "Hemorrhage"},
};

core::Code sct(const char* value, const char* meaning) { return {value, "SCT", meaning}; }

core::Code categoryCode(Category c) {
  switch (c) {
    case Category::Anatomical: return anatomicalStructureCategory();
    case Category::Tissue: return tissueCategory();
    case Category::Altered: break;
  }
  return alteredStructureCategory();
}

// Lower-case words of `text`, split on anything that is not a letter or digit.
std::vector<std::string> words(const std::string& text) {
  std::vector<std::string> out;
  std::string current;
  for (unsigned char c : text) {
    if (std::isalnum(c)) {
      current += static_cast<char>(std::tolower(c));
    } else if (!current.empty()) {
      out.push_back(current);
      current.clear();
    }
  }
  if (!current.empty()) out.push_back(current);
  return out;
}

bool wordMatches(const std::string& word, const std::string& key) {
  // Plurals ("kidneys", "lungs") name the same structure.
  return word == key || (word.size() == key.size() + 1 && word.back() == 's' && word.compare(0, key.size(), key) == 0);
}

// Number of words of `alias` when they occur consecutively in `name`, else 0.
std::size_t matchLength(const std::vector<std::string>& name, const std::vector<std::string>& alias) {
  if (alias.empty() || alias.size() > name.size()) return 0;
  for (std::size_t start = 0; start + alias.size() <= name.size(); ++start) {
    bool all = true;
    for (std::size_t n = 0; n < alias.size() && all; ++n) all = wordMatches(name[start + n], alias[n]);
    if (all) return alias.size();
  }
  return 0;
}

std::vector<std::string> aliases(const char* names) {
  std::vector<std::string> out;
  std::stringstream stream(names);
  std::string alias;
  while (std::getline(stream, alias, '|')) out.push_back(alias);
  return out;
}

// sRGB companding (IEC 61966-2-1).
double toLinear(double c) { return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); }
double fromLinear(double c) { return c <= 0.0031308 ? 12.92 * c : 1.055 * std::pow(c, 1.0 / 2.4) - 0.055; }

// D65 reference white.
constexpr double kWhiteX = 0.95047, kWhiteY = 1.0, kWhiteZ = 1.08883;

double labF(double t) { return t > 216.0 / 24389.0 ? std::cbrt(t) : (24389.0 / 27.0 * t + 16.0) / 116.0; }
double labFInverse(double f) {
  double t = f * f * f;
  return t > 216.0 / 24389.0 ? t : (116.0 * f - 16.0) * 27.0 / 24389.0;
}

std::uint16_t scaled(double value, double low, double high) {
  double s = std::round((value - low) / (high - low) * 65535.0);
  return static_cast<std::uint16_t>(std::clamp(s, 0.0, 65535.0));
}

}  // namespace

core::Code anatomicalStructureCategory() { return sct("123037004", "Anatomical Structure"); }
core::Code tissueCategory() { return sct("85756007", "Tissue"); }
core::Code alteredStructureCategory() { return sct("49755003", "Morphologically Altered Structure"); }

core::Terminology terminologyForName(const std::string& labelName) {
  std::vector<std::string> name = words(labelName);
  const Structure* best = nullptr;
  std::size_t bestLength = 0;
  for (const Structure& s : kStructures) {
    for (const std::string& alias : aliases(s.names)) {
      std::size_t length = matchLength(name, words(alias));
      if (length > bestLength) {  // the longest alias wins: "spinal cord" over a lone "cord"
        best = &s;
        bestLength = length;
      }
    }
  }
  core::Terminology t;
  if (!best) {
    t.category = tissueCategory();
    t.type = sct("85756007", "Tissue");
    return t;
  }
  t.category = categoryCode(best->category);
  t.type = sct(best->code, best->meaning);
  bool left = std::find(name.begin(), name.end(), "left") != name.end();
  bool right = std::find(name.begin(), name.end(), "right") != name.end();
  if (left && !right) t.typeModifier = sct("7771000", "Left");
  if (right && !left) t.typeModifier = sct("24028007", "Right");
  return t;
}

core::Terminology effectiveTerminology(const core::Label& label) {
  if (!label.terminology.category.empty() && !label.terminology.type.empty()) return label.terminology;
  return terminologyForName(label.name);
}

std::vector<std::string> knownStructureNames() {
  std::vector<std::string> out;
  for (const Structure& s : kStructures) out.push_back(aliases(s.names).front());
  return out;
}

std::array<std::uint16_t, 3> rgbToDicomLab(std::array<std::uint8_t, 3> rgb) {
  double r = toLinear(rgb[0] / 255.0), g = toLinear(rgb[1] / 255.0), b = toLinear(rgb[2] / 255.0);
  double x = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b;
  double y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
  double z = 0.0193339 * r + 0.1191920 * g + 0.9503041 * b;
  double fx = labF(x / kWhiteX), fy = labF(y / kWhiteY), fz = labF(z / kWhiteZ);
  double lStar = 116.0 * fy - 16.0;
  double aStar = 500.0 * (fx - fy);
  double bStar = 200.0 * (fy - fz);
  return {scaled(lStar, 0.0, 100.0), scaled(aStar, -128.0, 127.0), scaled(bStar, -128.0, 127.0)};
}

std::array<std::uint8_t, 3> dicomLabToRgb(std::array<std::uint16_t, 3> lab) {
  double lStar = lab[0] / 65535.0 * 100.0;
  double aStar = lab[1] / 65535.0 * 255.0 - 128.0;
  double bStar = lab[2] / 65535.0 * 255.0 - 128.0;
  double fy = (lStar + 16.0) / 116.0, fx = fy + aStar / 500.0, fz = fy - bStar / 200.0;
  double x = kWhiteX * labFInverse(fx), y = kWhiteY * labFInverse(fy), z = kWhiteZ * labFInverse(fz);
  double r = 3.2404542 * x - 1.5371385 * y - 0.4985314 * z;
  double g = -0.9692660 * x + 1.8760108 * y + 0.0415560 * z;
  double b = 0.0556434 * x - 0.2040259 * y + 1.0572252 * z;
  auto to8 = [](double linear) {
    double c = fromLinear(std::clamp(linear, 0.0, 1.0));
    return static_cast<std::uint8_t>(std::clamp(std::round(c * 255.0), 0.0, 255.0));
  };
  return {to8(r), to8(g), to8(b)};
}

}  // namespace delineo::io
