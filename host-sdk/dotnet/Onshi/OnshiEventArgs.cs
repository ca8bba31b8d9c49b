// One onshi event, copied out of onshi_event during the callback (its text pointer is only valid
// then) and raised on the host's SynchronizationContext.
using System;

namespace Onshi
{
    public class OnshiEventArgs : EventArgs
    {
        public OnshiEventType Type { get; internal set; }
        /// <summary>The job, or 0 for reader and card events.</summary>
        public uint Job { get; internal set; }
        public int Status { get; internal set; }
        /// <summary>Progress: OnshiProgress; SecretNeeded: tries left; else see onshi.h.</summary>
        public int Value { get; internal set; }
        /// <summary>SecretNeeded: OnshiSecret; CardInserted: the medium; else 0.</summary>
        public int Detail { get; internal set; }
        /// <summary>Reader name, the secret prompt or the failure message; "" when unused.</summary>
        public string Text { get; internal set; }
    }
}
