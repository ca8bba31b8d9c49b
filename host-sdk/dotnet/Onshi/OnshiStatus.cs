// The status codes and event constants a host branches on (the values of onshi.h; stable).
namespace Onshi
{
    public static class OnshiStatus
    {
        public const int Ok = 0;
        public const int InvalidArgument = 1;
        public const int InvalidHandle = 2;
        public const int Timeout = 7;
        public const int Cancelled = 8;
        public const int Config = 9;
        public const int NotFound = 10;
        public const int WrongState = 12;
        public const int PcscUnavailable = 100;
        public const int NoReader = 101;
        public const int NoCard = 102;
        public const int CardRemoved = 103;
        public const int PinIncorrect = 106;
        public const int PinBlocked = 107;
        public const int LastTryRefused = 108;
        public const int NotEnrolled = 205;
        public const int AlreadyEnrolled = 211;
    }

    /// <summary>ONSHI_EVENT_* (the event's type).</summary>
    public enum OnshiEventType
    {
        Progress = 1, SecretNeeded = 2, Done = 3, Failed = 4, Cancelled = 5,
        ReaderAdded = 16, ReaderRemoved = 17, CardInserted = 18, CardRemoved = 19,
        ResultArrived = 20, FaceExported = 21 // since 1.1
    }

    /// <summary>ONSHI_PROGRESS_* (a Progress event's value).</summary>
    public enum OnshiProgress
    {
        WaitingForCard = 1, ReadingCard = 2, VerifyingPin = 3, Signing = 4, ReadingPhoto = 5, ContactingGateway = 6
    }

    /// <summary>ONSHI_SECRET_* (which secret a SecretNeeded event asks for).</summary>
    public enum OnshiSecret { Pin = 1, CollationB = 2 }
}
