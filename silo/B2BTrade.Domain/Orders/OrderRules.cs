using System.Collections.Immutable;
using System.Text.RegularExpressions;
using B2BTrade.Domain.Common;
using B2BTrade.Domain.Enterprises;
using B2BTrade.Domain.Negotiation;

namespace B2BTrade.Domain.Orders;

/// <summary>
/// The order's rules: what a buyer must fill in, when an order waits for approval, and its status machine
/// (pending approval → pending confirmation → confirmed → contract effective; rejected, cancelled and expired end it).
/// </summary>
public static partial class OrderRules
{
    /// <summary>How long the seller has to confirm an order (and the buyer's approver to approve it) before its stock is released, unless configured otherwise.</summary>
    public static readonly TimeSpan DefaultConfirmationWindow = TimeSpan.FromHours(72);

    public const int MaxLines = 50;
    public const int MaxCommentLength = 500;

    /// <summary>
    /// Validates the buyer's details. From a negotiation, the delivery date and transport mode are the agreed ones
    /// (left empty they are filled in; anything else is refused, so the order carries the agreed terms exactly).
    /// </summary>
    /// <param name="priceOnly">
    /// A preview: only what changes the price is required (the province, transport mode, freight bearer and a valid
    /// date); the contact, street and invoice are checked when the order is placed, so a form can show the fee
    /// breakdown while the buyer is still typing. Fields that are given are still checked.
    /// </param>
    public static OrderDetails ValidateDetails(OrderDetailsInput input, Terms? agreed, FreightBearer defaultBearer, DateTimeOffset now, bool priceOnly = false)
    {
        if (priceOnly)
        {
            input = WithPlaceholders(input);
        }

        var v = new Validation();
        var date = input.DeliveryDate ?? agreed?.DeliveryDate;
        if (date is null)
        {
            v.Add("details.delivery_date", "REQUIRED", "The delivery date is required.", "请填写交货日期。");
        }
        else if (agreed?.DeliveryDate is { } agreedDate && date != agreedDate)
        {
            v.Add("details.delivery_date", "DIFFERS_FROM_AGREED", $"The agreed delivery date is {agreedDate:yyyy-MM-dd}.", $"协商约定的交货日期为 {agreedDate:yyyy-MM-dd}。");
        }
        else if (date < TermsRules.ChinaToday(now))
        {
            v.Add("details.delivery_date", "IN_THE_PAST", "The delivery date is in the past (China time).", "交货日期不能早于今天（北京时间）。");
        }
        else if (date > TermsRules.ChinaToday(now).AddYears(1))
        {
            v.Add("details.delivery_date", "TOO_FAR", "The delivery date is more than a year ahead.", "交货日期不能超过一年。");
        }

        var transport = input.Transport ?? agreed?.Transport;
        if (transport is null || !Enum.IsDefined(transport.Value))
        {
            v.Add("details.transport_mode", "REQUIRED", "The transport mode is required.", "请选择运输方式。");
        }
        else if (agreed?.Transport is { } agreedTransport && transport != agreedTransport)
        {
            v.Add("details.transport_mode", "DIFFERS_FROM_AGREED", "The transport mode differs from the agreed one.", "运输方式与协商约定不一致。");
        }

        var bearer = input.FreightBearer ?? defaultBearer;
        if (!Enum.IsDefined(bearer))
        {
            v.Add("details.freight_bearer", "INVALID", "Unknown freight bearer.", "运费承担方无效。");
        }

        var address = ValidateAddress(v, input.Address);
        var invoice = ValidateInvoice(v, input.Invoice);
        var remarks = (input.Remarks ?? "").Trim();
        if (remarks.Length > MaxCommentLength)
        {
            v.Add("details.remarks", "TOO_LONG", $"Remarks are at most {MaxCommentLength} characters.", $"备注最多 {MaxCommentLength} 个字符。");
        }

        v.ThrowIfInvalid();
        return new OrderDetails(date!.Value, address!, transport!.Value, bearer, invoice!, remarks);
    }

    /// <summary>Stands in for the details a price does not depend on, so a preview of a half-filled form can be priced.</summary>
    private static OrderDetailsInput WithPlaceholders(OrderDetailsInput input)
    {
        static string Or(string? value, string placeholder) => string.IsNullOrWhiteSpace(value) ? placeholder : value;
        var a = input.Address;
        var i = input.Invoice;
        return input with
        {
            Address = new DeliveryAddress(a?.Province ?? "", Or(a?.City, "（预览）"), Or(a?.District, "（预览）"), Or(a?.Street, "（预览）"),
                Or(a?.ContactName, "（预览）"), Or(a?.ContactPhone, "13800000000")),
            Invoice = new InvoiceDetails(Or(i?.Title, "（预览）"), Or(i?.TaxNumber, PreviewTaxNumber), Or(i?.BankName, "（预览）"), Or(i?.BankAccount, "00000000"),
                Or(i?.Address, "（预览）"), Or(i?.Phone, "13800000000")),
        };
    }

    /// <summary>A well-formed credit code used only to price previews (never stored).</summary>
    private const string PreviewTaxNumber = "91350100M000100Y43";

    /// <summary>An order placed by someone who is not an Admin and whose spending limit it exceeds waits for an approver.</summary>
    public static bool NeedsApproval(OrderPlacer placer, decimal total) =>
        !placer.IsAdmin && placer.SpendingLimit is { } limit && total > limit;

    /// <summary>A new order: recorded before its stock is reserved (<see cref="StockHeld"/> follows).</summary>
    public static OrderState Place(
        string orderId, string requestFingerprint, OrderParties parties, string? threadId, int? termsVersion, OrderDetails details, PriceBreakdown price,
        string qualityStandard, Catalog.WeightBasis weightBasis, IReadOnlyList<StockReservation> reservations, OrderPlacer placer, DateTimeOffset now,
        TimeSpan confirmationWindow)
    {
        var status = NeedsApproval(placer, price.Total) ? OrderStatus.PendingApproval : OrderStatus.PendingConfirmation;
        return new OrderState
        {
            OrderId = orderId,
            RequestFingerprint = requestFingerprint,
            BuyerEnterpriseId = parties.BuyerEnterpriseId,
            BuyerName = parties.BuyerName,
            SellerEnterpriseId = parties.SellerEnterpriseId,
            SellerName = parties.SellerName,
            ThreadId = threadId,
            TermsVersion = termsVersion,
            Details = details,
            Price = price,
            QualityStandard = qualityStandard,
            WeightBasis = weightBasis,
            PlacedByUserId = placer.UserId,
            PlacedByName = placer.DisplayName,
            CreatedAt = now,
            ConfirmBy = now + confirmationWindow,
            Status = status,
            History = [new OrderEvent(status, now, placer.UserId, placer.DisplayName,
                status == OrderStatus.PendingApproval ? $"超出下单人采购限额 ¥{Cny.Format(placer.SpendingLimit ?? 0)}，待审批" : "")],
            Reservations = [.. reservations],
            UpdatedAt = now,
        };
    }

    public static OrderState StockHeld(OrderState state) => state with { StockHeld = true };

    /// <summary>The stock could not be held: the placement is undone (the order ends, hidden, and its stock is released).</summary>
    public static OrderState PlacementFailed(OrderState state, string reason, string message, DateTimeOffset now) =>
        Move(state, OrderStatus.Cancelled, "system", "系统", "下单失败：" + message, now) with { PlacementFailure = new PlacementFailure(reason, message) };

    /// <summary>An approver (an Admin of the buyer other than the one who placed it) lets the order go to the seller.</summary>
    public static OrderState Approve(OrderState state, string approverUserId, string approverName, string? comment, DateTimeOffset now)
    {
        RequireStatus(state, OrderStatus.PendingApproval, "approve");
        if (approverUserId == state.PlacedByUserId)
        {
            throw Errors.PermissionDenied("An order cannot be approved by the member who placed it.", "下单人不能审批自己的订单。");
        }

        return Move(state, OrderStatus.PendingConfirmation, approverUserId, approverName, Comment(comment, required: false, "comment"), now);
    }

    public static OrderState RejectApproval(OrderState state, string approverUserId, string approverName, string? comment, DateTimeOffset now)
    {
        RequireStatus(state, OrderStatus.PendingApproval, "reject");
        return Move(state, OrderStatus.Cancelled, approverUserId, approverName, "审批未通过：" + Comment(comment, required: true, "comment"), now);
    }

    /// <summary>The seller confirms: the order is binding once the contract is signed.</summary>
    public static OrderState Confirm(OrderState state, string sellerUserId, string sellerName, string contractId, DateTimeOffset now)
    {
        if (state.Status == OrderStatus.PendingConfirmation && now >= state.ConfirmBy)
        {
            throw Errors.Precondition("CONFIRMATION_DEADLINE_PASSED", "The confirmation deadline has passed.", "已超过确认期限。");
        }

        RequireStatus(state, OrderStatus.PendingConfirmation, "confirm");
        return Move(state, OrderStatus.Confirmed, sellerUserId, sellerName, "", now) with { ContractId = contractId };
    }

    public static OrderState Reject(OrderState state, string sellerUserId, string sellerName, string? reason, DateTimeOffset now)
    {
        RequireStatus(state, OrderStatus.PendingConfirmation, "reject");
        return Move(state, OrderStatus.Rejected, sellerUserId, sellerName, Comment(reason, required: true, "reason"), now);
    }

    /// <summary>The buyer withdraws the order before the seller confirmed it.</summary>
    public static OrderState Cancel(OrderState state, string buyerUserId, string buyerName, string? reason, DateTimeOffset now)
    {
        if (!state.IsOpen)
        {
            throw Errors.Precondition("ORDER_NOT_CANCELLABLE", $"An order that is {state.Status} can no longer be cancelled.", "订单已确认或已结束，不能取消。");
        }

        return Move(state, OrderStatus.Cancelled, buyerUserId, buyerName, Comment(reason, required: false, "reason"), now);
    }

    /// <summary>The deadline passed without an answer. Anything else is left as it is (the reminder may fire late).</summary>
    public static OrderState Expire(OrderState state, DateTimeOffset now) =>
        state.IsOpen && now >= state.ConfirmBy
            ? Move(state, OrderStatus.Expired, "system", "系统", state.Status == OrderStatus.PendingApproval ? "审批超时" : "卖方未在期限内确认", now)
            : state;

    public static OrderState StockReleased(OrderState state) => state with { StockReleased = true };

    public static OrderState StockCommitted(OrderState state) => state with { StockCommitted = true };

    public static OrderState ContractCreated(OrderState state) => state with { ContractCreated = true };

    /// <summary>Both parties signed the contract.</summary>
    public static OrderState ContractEffective(OrderState state, DateTimeOffset now) =>
        state.Status == OrderStatus.Confirmed ? Move(state, OrderStatus.ContractEffective, "system", "系统", "双方已签署合同，合同生效", now) : state;

    private static OrderState Move(OrderState state, OrderStatus status, string actorUserId, string actorName, string comment, DateTimeOffset now) =>
        state with { Status = status, History = state.History.Add(new OrderEvent(status, now, actorUserId, actorName, comment)), UpdatedAt = now };

    private static void RequireStatus(OrderState state, OrderStatus expected, string action)
    {
        if (state.Status != expected)
        {
            throw Errors.Precondition("ORDER_STATUS_CONFLICT", $"Cannot {action} an order that is {state.Status}.", $"订单当前状态为{StatusZh(state.Status)}，不能执行此操作。");
        }
    }

    private static string Comment(string? text, bool required, string field)
    {
        var trimmed = (text ?? "").Trim();
        if (required && trimmed.Length == 0)
        {
            throw Errors.InvalidField(field, "REQUIRED", "Please give a reason.", "请填写原因。");
        }

        return trimmed.Length > MaxCommentLength
            ? throw Errors.InvalidField(field, "TOO_LONG", $"At most {MaxCommentLength} characters.", $"最多 {MaxCommentLength} 个字符。")
            : trimmed;
    }

    public static string StatusZh(OrderStatus status) => status switch
    {
        OrderStatus.PendingApproval => "待审批",
        OrderStatus.PendingConfirmation => "待卖方确认",
        OrderStatus.Confirmed => "已确认（待签约）",
        OrderStatus.ContractEffective => "合同已生效",
        OrderStatus.Rejected => "卖方已拒绝",
        OrderStatus.Cancelled => "已取消",
        OrderStatus.Expired => "已超时",
        _ => status.ToString(),
    };

    private static DeliveryAddress? ValidateAddress(Validation v, DeliveryAddress? input)
    {
        const string prefix = "details.delivery_address";
        if (input is null)
        {
            v.Add(prefix, "REQUIRED", "The delivery address is required.", "请填写收货地址。");
            return null;
        }

        var a = new DeliveryAddress(input.Province.Trim(), input.City.Trim(), input.District.Trim(), input.Street.Trim(), input.ContactName.Trim(), NationalPhone(input.ContactPhone));
        if (a.Province.Length == 0)
        {
            v.Add(prefix + ".province", "REQUIRED", "The province is required.", "请选择省份。");
        }
        else if (!FreightRules.Provinces.Contains(a.Province))
        {
            v.Add(prefix + ".province", "UNKNOWN_PROVINCE", "Use the full name of a province-level division, e.g. 江苏省.", "请填写省级行政区全称，如“江苏省”。");
        }

        v.Required(prefix + ".city", a.City, "City", "城市").Length(prefix + ".city", a.City, 1, 50, "City", "城市");
        v.Required(prefix + ".district", a.District, "District", "区县").Length(prefix + ".district", a.District, 1, 50, "District", "区县");
        v.Required(prefix + ".street", a.Street, "Street address", "详细地址").Length(prefix + ".street", a.Street, 1, 200, "Street address", "详细地址");
        v.Required(prefix + ".contact_name", a.ContactName, "Contact", "收货联系人").Length(prefix + ".contact_name", a.ContactName, 1, 50, "Contact", "收货联系人");
        if (!IsPhone(a.ContactPhone))
        {
            v.Add(prefix + ".contact_phone", a.ContactPhone.Length == 0 ? "REQUIRED" : "INVALID_PHONE",
                "A mainland mobile (13800138000) or landline (021-12345678) number is required.", "请填写有效的手机号（如 13800138000）或座机号（如 021-12345678）。");
        }

        return a;
    }

    private static InvoiceDetails? ValidateInvoice(Validation v, InvoiceDetails? input)
    {
        const string prefix = "details.invoice";
        if (input is null)
        {
            v.Add(prefix, "REQUIRED", "Invoice details for the special VAT invoice are required.", "请填写增值税专用发票开票信息。");
            return null;
        }

        var account = new string((input.BankAccount ?? "").Where(c => c != ' ' && c != '-').ToArray());
        var i = new InvoiceDetails(input.Title.Trim(), UnifiedSocialCreditCode.Normalize(input.TaxNumber), input.BankName.Trim(), account, input.Address.Trim(), NationalPhone(input.Phone));
        v.Required(prefix + ".title", i.Title, "Invoice title", "发票抬头").Length(prefix + ".title", i.Title, 2, 100, "Invoice title", "发票抬头");
        if (!UnifiedSocialCreditCode.IsValid(i.TaxNumber))
        {
            v.Add(prefix + ".tax_number", i.TaxNumber.Length == 0 ? "REQUIRED" : "INVALID_CREDIT_CODE",
                "The taxpayer number must be a valid 18-character unified social credit code.", "纳税人识别号须为有效的 18 位统一社会信用代码。");
        }

        v.Required(prefix + ".bank_name", i.BankName, "Bank", "开户银行").Length(prefix + ".bank_name", i.BankName, 2, 100, "Bank", "开户银行");
        if (!BankAccountPattern().IsMatch(i.BankAccount))
        {
            v.Add(prefix + ".bank_account", i.BankAccount.Length == 0 ? "REQUIRED" : "INVALID_ACCOUNT", "The account number is 8 to 32 digits.", "银行账号须为 8 至 32 位数字。");
        }

        v.Required(prefix + ".address", i.Address, "Registered address", "注册地址").Length(prefix + ".address", i.Address, 2, 200, "Registered address", "注册地址");
        if (!IsPhone(i.Phone))
        {
            v.Add(prefix + ".phone", i.Phone.Length == 0 ? "REQUIRED" : "INVALID_PHONE", "A valid telephone number is required.", "请填写有效的注册电话。");
        }

        return i;
    }

    /// <summary>
    /// A mainland mobile as registrations store it ("+86 138 0013 8000", "0086…") in its national form, so an enterprise's
    /// own phone can be used on an order; anything else is kept as typed (and judged by <see cref="IsPhone"/>).
    /// </summary>
    private static string NationalPhone(string? phone)
    {
        var trimmed = (phone ?? "").Trim();
        var digits = new string(trimmed.Where(c => c is not (' ' or '-')).ToArray());
        foreach (var prefix in new[] { "+86", "0086" })
        {
            if (digits.StartsWith(prefix, StringComparison.Ordinal) && MobilePattern().IsMatch(digits[prefix.Length..]))
            {
                return digits[prefix.Length..];
            }
        }

        return MobilePattern().IsMatch(digits) ? digits : trimmed;
    }

    private static bool IsPhone(string phone) => MobilePattern().IsMatch(phone) || LandlinePattern().IsMatch(phone);

    [GeneratedRegex("^1[3-9][0-9]{9}$")]
    private static partial Regex MobilePattern();

    [GeneratedRegex("^0[0-9]{2,3}-?[0-9]{7,8}(-[0-9]{1,6})?$")]
    private static partial Regex LandlinePattern();

    [GeneratedRegex("^[0-9]{8,32}$")]
    private static partial Regex BankAccountPattern();
}

/// <summary>The two enterprises of an order, with their legal names at placement.</summary>
public sealed record OrderParties(string BuyerEnterpriseId, string BuyerName, string SellerEnterpriseId, string SellerName);
