#pragma once
// XrInteraction: what the controllers mean for the tools, as pure logic over FrameInput. The
// dominant hand carries the tool at its tip (trigger paints, erases, places a grow seed or draws
// a contour; the thumbstick changes the brush size (up/down) and cycles labels (flick
// left/right)); the other hand holds the clip plane (its trigger toggles it), the contour tool's
// drawing plane, and undo (X) / redo (Y). The dominant hand's
// A accepts a grow preview (else selects the next tool), B discards it (else the previous tool);
// menu shows or hides the panel. Pointing at the panel turns the trigger into a click there.
// The result of each update is a list of commands for XrEditor (which commits through the
// Session) and the state the scene draws (cursor, ray, clip plane).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "app/xr/XrInput.h"
#include "app/xr/XrMath.h"

namespace delineo::app::xr {

// In the order of the panel's buttons and of the A / B cycling.
enum class XrTool { Brush, Erase, Grow, Contour };
constexpr int kXrToolCount = 4;
const char* xrToolName(XrTool tool);

struct XrToolSettings {
  XrTool tool = XrTool::Brush;       // what the dominant trigger does
  double brushRadiusMm = 5;          // brush radius in patient mm (the cursor shows it to scale)
  std::uint8_t label = 1;            // label painted and grown
  double growLower = 150;            // region grow range (data units, HU for CT)
  double growUpper = 3000;
  Hand dominant = Hand::Right;       // hand that holds the tool
};

struct InteractionOptions {
  double pressAt = 0.55;             // trigger above this presses
  double releaseAt = 0.45;           // and below this releases
  double tipOffsetM = 0.05;          // the tool tip sits this far ahead of the aim pose
  double minRadiusMm = 0.5;          // thumbstick size limits
  double maxRadiusMm = 60;
  double radiusDoublingS = 1.0;      // full deflection doubles (or halves) the radius this often
  double flickAt = 0.7;              // thumbstick x beyond this cycles the label once
  double rearmAt = 0.3;              // and must come back within this before the next cycle
  double deadZone = 0.15;            // thumbstick y below this changes nothing
  double contourStepMm = 0.5;        // a contour point is added when the tip moved this far
};

// A plane held in the non-dominant hand: through its aim position, spanned by the aim pose's
// x and y axes (the normal is the aim direction), as the clip plane. In world metres or, moved
// with the volume, in patient mm (the axes stay unit vectors).
struct HeldPlane {
  Vec3 point{};                 // on the plane
  Vec3 u{1, 0, 0}, v{0, 1, 0};  // unit in-plane axes
  Vec3 normal{0, 0, -1};        // unit normal
};
HeldPlane heldPlane(const Pose& aim);
HeldPlane patientPlane(const HeldPlane& worldPlane, const VolumePlacement& placement);
HeldPlane worldPlane(const HeldPlane& patientPlane, const VolumePlacement& placement);
// `point` moved along the plane's normal onto the plane.
Vec3 projectOntoPlane(const HeldPlane& plane, Vec3 point);

// A quad in the world the controller ray can point at (the panel): centred on pose.position,
// facing +z of pose.orientation, widthM x heightM.
struct PanelQuad {
  Pose pose;
  double widthM = 0.4;
  double heightM = 0.3;
};
struct PanelHit {
  double u = 0, v = 0;    // 0..1 across, 0..1 down
  double distanceM = 0;   // along the ray
};
// Where the ray from `aim` (its -z axis) meets the front of the quad, if it does.
std::optional<PanelHit> hitPanel(const PanelQuad& quad, const Pose& aim);

struct XrCommand {
  enum class Kind {
    StrokeBegin,   // pointMm: first dab (brush or erase per settings)
    StrokeTo,      // pointMm: capsule from the previous point to this one
    StrokeEnd,     // commit the stroke as one undo step
    GrowSeed,      // pointMm: grow a preview from this seed (replacing any preview)
    GrowAccept,    // commit the preview
    GrowDiscard,   // drop the preview
    Undo,
    Redo,
    PanelPointer,  // u, v, pressed: the ray on the panel (pressed: trigger held)
    ContourBegin,  // pointMm: first point of a contour (on the held plane)
    ContourTo,     // pointMm: next point
    ContourEnd,    // close the contour and fill it (one undo step)
    ContourCancel, // drop the contour drawn so far (the drawing hand lost tracking)
  };
  Kind kind;
  Vec3 pointMm{};
  double u = 0, v = 0;
  bool pressed = false;
  friend bool operator==(const XrCommand&, const XrCommand&) = default;
};

// What the scene draws for the tools (world space).
struct ToolVisuals {
  bool cursorVisible = false;
  Vec3 tipM{};                        // tool tip (cursor centre)
  double cursorRadiusM = 0;           // the brush's true size at the volume's scale
  bool rayVisible = false;            // ray from the dominant hand to the panel
  Vec3 rayFromM{}, rayToM{};
  bool clipEnabled = false;           // handheld clip plane
  Vec3 clipPointM{}, clipNormalM{};   // keeps what lies behind the plane (against the normal)
  bool contourPlaneVisible = false;   // the contour tool's plane in the other hand
  HeldPlane contourPlaneM;            // the plane held, or while drawing the one drawn on (world)
  bool projectionVisible = false;     // contour tool: the tip and its point on the plane
  Vec3 projectionFromM{}, projectionToM{};
  std::vector<Vec3> contourMm;        // the contour being drawn (patient mm: moves with the volume)
};

class XrInteraction {
 public:
  explicit XrInteraction(const InteractionOptions& options = {}) : mOptions(options) {}

  // One frame. `placement`: where the volume is (tool tip to patient mm); `panel`: the panel
  // quad when shown; `labelIds`: labels the thumbstick cycles through (sorted). `previewing`:
  // a grow preview waits for accept or discard.
  std::vector<XrCommand> update(const FrameInput& input, const VolumePlacement& placement,
                                const PanelQuad* panel, std::span<const std::uint8_t> labelIds,
                                bool previewing);

  XrToolSettings& settings() { return mSettings; }
  const XrToolSettings& settings() const { return mSettings; }
  const ToolVisuals& visuals() const { return mVisuals; }
  bool stroking() const { return mStroking; }
  bool contouring() const { return mContouring; }
  bool panelVisible() const { return mPanelVisible; }
  void setPanelVisible(bool visible) { mPanelVisible = visible; }
  // The clip plane in patient space (normal, offset: keeps dot(normal, p) <= offset).
  std::optional<std::pair<Vec3, double>> clipPlaneMm(const VolumePlacement& placement) const;

 private:
  struct Edges {
    bool trigger = false, primary = false, secondary = false, menu = false, flickArmed = true;
  };
  bool press(bool& state, double value);
  bool edge(bool& state, bool now);
  void cycleLabel(int direction, std::span<const std::uint8_t> labelIds);
  void cycleTool(int direction);
  void showProjection(Vec3 tipM, Vec3 onPlaneM);

  InteractionOptions mOptions;
  XrToolSettings mSettings;
  ToolVisuals mVisuals;
  Edges mEdges[2];
  bool mStroking = false;
  bool mContouring = false;
  HeldPlane mContourPlaneMm;   // frozen when the contour starts, in patient mm: the points stay
                               // coplanar however the hand or the volume moves meanwhile
  bool mPanelPressed = false;
  bool mPanelVisible = true;
  bool mClip = false;
  Vec3 mLastTipMm{};
  double mLastTimeS = -1;
};

}  // namespace delineo::app::xr
