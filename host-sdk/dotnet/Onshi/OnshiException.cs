// A failed onshi call or job as a .NET exception: the status (its number and ONSHI_E_ name), onshi's
// generic message for it in Japanese and English (for the screen and for support), and the specific
// message of the failure (onshi_last_error, or a failed job's "message", in the context's locale).
using System;

namespace Onshi
{
    [Serializable]
    public class OnshiException : Exception
    {
        /// <summary>The onshi_status (abi/include/onshi/onshi.h; docs/abi.md lists the UI reaction to each).</summary>
        public int Status { get; private set; }
        /// <summary>"ONSHI_E_NO_CARD" etc.</summary>
        public string StatusName { get; private set; }
        /// <summary>onshi's generic Japanese message for the status, for reception staff.</summary>
        public string MessageJa { get; private set; }
        /// <summary>onshi's generic English message for the status.</summary>
        public string MessageEn { get; private set; }
        /// <summary>What exactly failed (may name a config key or a date), or "".</summary>
        public string Detail { get; private set; }
        /// <summary>PIN / 照合番号B tries left for those errors, else -1.</summary>
        public int TriesLeft { get; private set; }

        public OnshiException(int status, string detail, int triesLeft = -1)
            : base(Compose(status, detail))
        {
            Status = status;
            StatusName = OnshiClient.StatusName(status);
            MessageJa = OnshiClient.StatusMessage(status, "ja");
            MessageEn = OnshiClient.StatusMessage(status, "en");
            Detail = detail ?? "";
            TriesLeft = triesLeft;
        }

        static string Compose(int status, string detail)
        {
            string text = OnshiClient.StatusName(status) + ": " + OnshiClient.StatusMessage(status, "en");
            return string.IsNullOrEmpty(detail) ? text : text + " (" + detail + ")";
        }
    }
}
