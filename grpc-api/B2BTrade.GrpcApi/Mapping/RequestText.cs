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
    public static void Check(IMessage message)
    {
        if (FirstBadField(message) is { } path)
        {
            throw PlainText.Refused(path);
        }
    }

    /// <summary>The path of the first field holding a forbidden character, or null; paths are built only for the bad one.</summary>
    private static string? FirstBadField(IMessage message)
    {
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
                        return field.Name;
                    }

                    if (BadValue(entry.Value) is { } inner)
                    {
                        return $"{field.Name}.{key ?? entry.Key?.ToString()}{inner}";
                    }
                }
            }
            else if (field.IsRepeated)
            {
                var i = 0;
                foreach (var item in (IList)value)
                {
                    if (BadValue(item) is { } inner)
                    {
                        return $"{field.Name}[{i}]{inner}";
                    }

                    i++;
                }
            }
            else if (BadValue(value) is { } inner)
            {
                return field.Name + inner;
            }
        }

        return null;
    }

    /// <summary>"" when the value itself is bad, ".path" when a field inside it is, null when it is plain.</summary>
    private static string? BadValue(object? value) => value switch
    {
        string text => PlainText.IsPlain(text) ? null : "",
        IMessage nested => FirstBadField(nested) is { } path ? "." + path : null,
        _ => null,
    };
}
