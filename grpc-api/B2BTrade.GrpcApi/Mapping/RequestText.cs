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
    public static void Check(IMessage message) => Check(message, "");

    private static void Check(IMessage message, string prefix)
    {
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            if (field.FieldType is not (FieldType.String or FieldType.Message))
            {
                continue;
            }

            var path = prefix + field.Name;
            var value = field.Accessor.GetValue(message);
            if (field.IsMap)
            {
                foreach (DictionaryEntry entry in (IDictionary)value)
                {
                    var key = entry.Key as string;
                    if (key is not null && !PlainText.IsPlain(key))
                    {
                        throw PlainText.Refused(path);
                    }

                    CheckValue(entry.Value, $"{path}.{key ?? entry.Key?.ToString()}");
                }
            }
            else if (field.IsRepeated)
            {
                var i = 0;
                foreach (var item in (IList)value)
                {
                    CheckValue(item, $"{path}[{i++}]");
                }
            }
            else
            {
                CheckValue(value, path);
            }
        }
    }

    private static void CheckValue(object? value, string path)
    {
        switch (value)
        {
            case string text when !PlainText.IsPlain(text):
                throw PlainText.Refused(path);
            case IMessage nested:
                Check(nested, path + ".");
                break;
        }
    }
}
