namespace Kindling.Testing.FakeKube;

/// <summary>Name suffixes from the alphabet apimachinery uses (no vowels, no confusable digits).</summary>
internal static class RandomSuffix
{
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static string Next(int length) =>
        string.Create(length, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = Alphabet[Random.Shared.Next(Alphabet.Length)];
            }
        });

    /// <summary>A stable short hash rendered in the same alphabet (used for pod-template-hash).</summary>
    public static string Hash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        var chars = new char[10];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[(int)(hash % (uint)Alphabet.Length)];
            hash = (hash / (uint)Alphabet.Length) ^ (hash * 2654435761u);
        }

        return new string(chars);
    }
}
