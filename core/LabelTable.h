#pragma once
// LabelTable: the labels of a labelmap (id 1..255; 0 is background and never listed), with the
// display state and the coded terminology DICOM SEG needs. Ids are unique; order is by id.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/Result.h"

namespace delineo::core {

// One coded concept (DICOM "code sequence item"): e.g. {"10200004", "SCT", "Liver"}.
struct Code {
  std::string value;    // code value, e.g. "10200004"
  std::string scheme;   // coding scheme designator, e.g. "SCT"
  std::string meaning;  // code meaning, e.g. "Liver"
  bool empty() const { return value.empty(); }
  friend bool operator==(const Code&, const Code&) = default;
};

// Segmented property category and type (with optional modifier), as DICOM SEG and Slicer use.
struct Terminology {
  Code category;      // e.g. {"123037004", "SCT", "Anatomical Structure"}
  Code type;          // e.g. {"10200004", "SCT", "Liver"}
  Code typeModifier;  // e.g. {"7771000", "SCT", "Left"}; usually empty
  bool empty() const { return category.empty() && type.empty(); }
  friend bool operator==(const Terminology&, const Terminology&) = default;
};

// Where a label stands in review (annotation campaigns). Editing an approved label's voxels
// returns it to Draft.
struct Review {
  enum class State { Draft, Submitted, Approved, Rejected };
  State state = State::Draft;
  std::string reviewer;  // who set the state (Approved/Rejected)
  std::string comment;   // why (mostly for Rejected)
  friend bool operator==(const Review&, const Review&) = default;
};
const char* reviewStateName(Review::State state);  // "draft", "submitted", "approved", "rejected"
std::optional<Review::State> parseReviewState(const std::string& name);

struct Label {
  std::uint8_t id = 0;                            // 1..255, the voxel value
  std::string name;                               // shown to the user and saved
  std::array<std::uint8_t, 4> rgba{255, 0, 0, 255};  // display colour and opacity
  bool visible = true;                            // shown in views
  bool locked = false;                            // tools never paint over a locked label
  Terminology terminology;                        // coded meaning for DICOM SEG and Slicer
  Review review;                                  // review state in an annotation campaign
  friend bool operator==(const Label&, const Label&) = default;
};

class LabelTable {
 public:
  const std::vector<Label>& labels() const { return mLabels; }
  // Labels in id order, for editing fields other than the id.
  std::span<Label> labelsForEdit() { return mLabels; }
  std::size_t size() const { return mLabels.size(); }
  bool empty() const { return mLabels.empty(); }

  const Label* find(std::uint8_t id) const;
  Label* find(std::uint8_t id);
  const Label* findByName(const std::string& name) const;

  // Adds or replaces the label with label.id (id 0 is refused).
  Result<void> set(const Label& label);
  // Adds a label with the smallest free id, a distinct colour and the given name.
  Result<std::uint8_t> add(const std::string& name);
  bool remove(std::uint8_t id);
  // Lowest id not in use, or nullopt when all 255 are taken.
  std::optional<std::uint8_t> freeId() const;

  // A distinct, stable default colour for an id (used for labels that come without one).
  static std::array<std::uint8_t, 4> defaultColor(std::uint8_t id);

  friend bool operator==(const LabelTable&, const LabelTable&) = default;

 private:
  std::vector<Label> mLabels;  // sorted by id
};

}  // namespace delineo::core
