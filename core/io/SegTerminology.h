#pragma once
// What DICOM SEG needs besides voxels: a coded meaning for each label (SNOMED CT, as DCMTK's,
// dcmqi's and 3D Slicer's examples use) and its display colour in DICOM's scaled CIELab.
// Pure functions, no DCMTK, so they are unit-testable on their own.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/LabelTable.h"

namespace delineo::io {

// Categories of the built-in table.
core::Code anatomicalStructureCategory();  // 123037004 SCT "Anatomical Structure"
core::Code tissueCategory();               // 85756007 SCT "Tissue"
core::Code alteredStructureCategory();     // 49755003 SCT "Morphologically Altered Structure"

// The coded terminology for a label name from the built-in table of common structures
// ("Liver", "left kidney", "Tumor", "bone"...): case-insensitive, on whole words, with "left" /
// "right" as a type modifier. A name the table does not know gets the generic "Tissue".
core::Terminology terminologyForName(const std::string& labelName);

// The terminology a label is exported with: its own when set, else terminologyForName(name).
core::Terminology effectiveTerminology(const core::Label& label);

// Names the built-in table knows (for help text and tests).
std::vector<std::string> knownStructureNames();

// sRGB (D65) -> CIELab -> DICOM's scaled encoding: L* 0..100 and a*, b* -128..127 mapped
// linearly onto 0..65535 (PS3.3 C.10.7.1.1), and back. Round trips within 1 per channel.
std::array<std::uint16_t, 3> rgbToDicomLab(std::array<std::uint8_t, 3> rgb);
std::array<std::uint8_t, 3> dicomLabToRgb(std::array<std::uint16_t, 3> lab);

}  // namespace delineo::io
