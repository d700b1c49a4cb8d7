#pragma once
// The OpenXR session lifecycle as a state machine (pure, unit tested): which state the runtime
// reported and what the application must do about it. Every change is a state, not an error:
// READY begins the session, STOPPING ends it, LOSS_PENDING and EXITING (and a lost instance)
// end the frame loop with the edits already journaled.

namespace delineo::app::xr {

enum class SessionPhase { Unknown, Idle, Ready, Synchronized, Visible, Focused, Stopping, LossPending, Exiting };
const char* sessionPhaseName(SessionPhase phase);

enum class SessionAction {
  None,          // keep going
  Begin,         // call xrBeginSession (READY)
  End,           // call xrEndSession (STOPPING)
  Exit,          // leave the frame loop (EXITING, LOSS_PENDING, instance lost)
};

class SessionStateMachine {
 public:
  // The runtime reported a new state; returns what to do.
  SessionAction onState(SessionPhase phase) {
    mPhase = phase;
    switch (phase) {
      case SessionPhase::Ready: mRunning = true; return SessionAction::Begin;
      case SessionPhase::Stopping: mRunning = false; return SessionAction::End;
      case SessionPhase::LossPending: mRunning = false; mExit = true; mLost = true; return SessionAction::Exit;
      case SessionPhase::Exiting: mRunning = false; mExit = true; return SessionAction::Exit;
      default: return SessionAction::None;
    }
  }
  SessionAction onInstanceLost() {
    mRunning = false;
    mExit = mLost = true;
    return SessionAction::Exit;
  }
  // The user asked to quit (window closed, Ctrl+C): request an exit; the runtime then goes
  // through STOPPING (End) to EXITING.
  void requestExit() { mExitRequested = true; }

  SessionPhase phase() const { return mPhase; }
  // Between xrBeginSession and xrEndSession: PollActions and RenderFrame run.
  bool running() const { return mRunning; }
  // The frame's layers are shown: render content (else submit an empty frame).
  bool visible() const { return mPhase == SessionPhase::Visible || mPhase == SessionPhase::Focused; }
  // Input goes to this application.
  bool focused() const { return mPhase == SessionPhase::Focused; }
  bool exit() const { return mExit; }
  bool lost() const { return mLost; }
  bool exitRequested() const { return mExitRequested; }

 private:
  SessionPhase mPhase = SessionPhase::Unknown;
  bool mRunning = false;
  bool mExit = false;
  bool mLost = false;
  bool mExitRequested = false;
};

inline const char* sessionPhaseName(SessionPhase phase) {
  switch (phase) {
    case SessionPhase::Unknown: return "unknown";
    case SessionPhase::Idle: return "idle";
    case SessionPhase::Ready: return "ready";
    case SessionPhase::Synchronized: return "synchronized";
    case SessionPhase::Visible: return "visible";
    case SessionPhase::Focused: return "focused";
    case SessionPhase::Stopping: return "stopping";
    case SessionPhase::LossPending: return "loss pending";
    case SessionPhase::Exiting: return "exiting";
  }
  return "?";
}

}  // namespace delineo::app::xr
