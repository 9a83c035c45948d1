using System.Collections;
using B2BTrade.Domain.Common;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace B2BTrade.GrpcApi.Mapping;

/// <summary>
/// Every string a request carries, at any depth (nested messages, repeated fields, map keys and values), must be
/// <see cref="PlainText"/>. Checked once at the door for all RPCs, so no field (today's or a future one) can carry a
/// NUL or a right-to-left override into a name, a contract or a PostgreSQL text column.
/// </summary>
public static class RequestText
{
    /// <summary>At most this many bad fields are named in one answer, as many as an error carries to the client.</summary>
    public const int MaxReported = Interceptors.ErrorInterceptor.MaxViolationsSent;

    public static void Check(IMessage message)
    {
        // The common case allocates nothing; paths are built only once a request is known to be refused.
        if (!Scan(message, null, null))
        {
            return;
        }

        var bad = new List<string>();
        Scan(message, "", bad);
        throw PlainText.Refused(bad);
    }

    /// <summary>
    /// Whether the message holds a forbidden character. With <paramref name="bad"/> null it stops at the first one;
    /// otherwise it adds the path of each bad field (prefixed by <paramref name="prefix"/>), up to <see cref="MaxReported"/>.
    /// </summary>
    private static bool Scan(IMessage message, string? prefix, List<string>? bad)
    {
        var found = false;
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            if (field.FieldType is not (FieldType.String or FieldType.Message))
            {
                continue;
            }

            var value = field.Accessor.GetValue(message);
            if (field.IsMap)
            {
                foreach (DictionaryEntry entry in (IDictionary)value)
                {
                    var key = entry.Key as string;
                    if (key is not null && !PlainText.IsPlain(key))
                    {
                        Report(bad, prefix + field.Name);
                        found = true;
                    }
                    else
                    {
                        found |= ScanValue(entry.Value, bad is null ? null : $"{prefix}{field.Name}.{key ?? entry.Key?.ToString()}", bad);
                    }

                    if (found && !Collecting(bad))
                    {
                        return true;
                    }
                }
            }
            else if (field.IsRepeated)
            {
                var i = 0;
                foreach (var item in (IList)value)
                {
                    found |= ScanValue(item, bad is null ? null : $"{prefix}{field.Name}[{i}]", bad);
                    if (found && !Collecting(bad))
                    {
                        return true;
                    }

                    i++;
                }
            }
            else
            {
                found |= ScanValue(value, bad is null ? null : prefix + field.Name, bad);
                if (found && !Collecting(bad))
                {
                    return true;
                }
            }
        }

        return found;
    }

    private static bool ScanValue(object? value, string? path, List<string>? bad)
    {
        switch (value)
        {
            case string text when !PlainText.IsPlain(text):
                Report(bad, path);
                return true;
            case IMessage nested:
                return Scan(nested, bad is null ? null : path + ".", bad);
            default:
                return false;
        }
    }

    private static void Report(List<string>? bad, string? path)
    {
        if (bad is not null && path is not null && bad.Count < MaxReported)
        {
            bad.Add(path);
        }
    }

    /// <summary>Whether the scan goes on after a bad field: only while collecting paths, and only until the cap.</summary>
    private static bool Collecting(List<string>? bad) => bad is not null && bad.Count < MaxReported;
}
