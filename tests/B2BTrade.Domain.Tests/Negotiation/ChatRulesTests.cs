using B2BTrade.Domain.Common;
using B2BTrade.Domain.Negotiation;
using static B2BTrade.Domain.Tests.Negotiation.NegotiationFixtures;

namespace B2BTrade.Domain.Tests.Negotiation;

public class ChatRulesTests
{
    private const string Thread = "n_thread01";

    private static ChatState Send(ChatState chat, Participant sender, string text, string clientId = "") =>
        ChatRules.Append(chat, Thread, sender, text, null, clientId == "" ? Guid.NewGuid().ToString() : clientId, T0).Next;

    [Fact]
    public void SequencesRunOneTwoThreeAndTheSenderHasReadItsOwnMessage()
    {
        var chat = new ChatState();
        chat = Send(chat, Buyer, "你好");
        var (next, message) = ChatRules.Append(chat, Thread, Seller, "您好，请问需要多少吨？", null, "c-2", T0);

        Assert.Equal(2, message.Sequence);
        Assert.Equal(2, next.LastSequence);
        Assert.Equal(2, next.SellerReadSequence);
        Assert.Equal(1, next.BuyerReadSequence);
        Assert.Equal(1, next.UnreadFor(Buyer.UserId));
        Assert.Equal(0, next.UnreadFor(Seller.UserId));
    }

    [Fact]
    public void EmptyMessageWithoutAttachmentIsRefusedOnText()
    {
        var error = Assert.Throws<DomainException>(() => ChatRules.Append(new ChatState(), Thread, Buyer, "   ", null, "c", T0));

        Assert.Equal((ErrorKind.InvalidArgument, "text", "REQUIRED"), (error.Kind, error.Violations[0].Field, error.Violations[0].Reason));
    }

    [Fact]
    public void AttachmentAloneIsAMessage()
    {
        var (_, message) = ChatRules.Append(new ChatState(), Thread, Buyer, "", new ChatAttachment("f_abc", "质保书.pdf", "application/pdf", 1000), "c", T0);

        Assert.Equal("f_abc", message.Attachment!.FileId);
    }

    [Fact]
    public void TextIsLimitedToFourThousandCharacters()
    {
        Assert.Equal(4000, ChatRules.Append(new ChatState(), Thread, Buyer, new string('字', 4000), null, "c", T0).Message.Text.Length);
        var error = Assert.Throws<DomainException>(() => ChatRules.Append(new ChatState(), Thread, Buyer, new string('字', 4001), null, "c", T0));
        Assert.Equal("TOO_LONG", error.Violations[0].Reason);
    }

    [Fact]
    public void OnlyTheLatestTwentyMessagesAreKeptInState()
    {
        var chat = new ChatState();
        for (var i = 1; i <= 25; i++)
        {
            chat = Send(chat, Buyer, "m" + i);
        }

        Assert.Equal(25, chat.LastSequence);
        Assert.Equal(ChatState.RecentMessages, chat.Recent.Count);
        Assert.Equal(Enumerable.Range(6, 20).Select(i => (long)i), chat.Recent.Select(m => m.Sequence));
    }

    [Fact]
    public void RetriedSendIsFoundByItsClientIdForTheSameSenderOnly()
    {
        var chat = Send(new ChatState(), Buyer, "hello", "client-1");

        Assert.Equal(1, ChatRules.PreviousSend(chat, Buyer.UserId, "client-1")!.Sequence);
        Assert.Null(ChatRules.PreviousSend(chat, Seller.UserId, "client-1"));
        Assert.Null(ChatRules.PreviousSend(chat, Buyer.UserId, "client-2"));
    }

    [Fact]
    public void ARetryWithTheSameContentGetsThePreviousMessageAndOtherContentIsRefused()
    {
        var (_, withFile) = ChatRules.Append(new ChatState(), Thread, Buyer, "质保书", new ChatAttachment("f_abc", "质保书.pdf", "application/pdf", 1000), "c-1", T0);
        var (_, textOnly) = ChatRules.Append(new ChatState(), Thread, Buyer, "hello", null, "c-2", T0);

        Assert.Same(withFile, ChatRules.RequireSameSend(withFile, "质保书", "f_abc"));
        Assert.Same(textOnly, ChatRules.RequireSameSend(textOnly, "hello", null));
        Assert.Same(textOnly, ChatRules.RequireSameSend(textOnly, "hello", ""));
        foreach (var (previous, text, file) in new[] { (withFile, "质保书", "f_other"), (withFile, "质保书", (string?)null), (textOnly, "hello!", null), (textOnly, "hello", "f_abc") })
        {
            var error = Assert.Throws<DomainException>(() => ChatRules.RequireSameSend(previous, text, file));
            Assert.Equal(("CLIENT_MESSAGE_ID_REUSED", "client_message_id"), (error.Reason, Assert.Single(error.Violations).Field));
        }
    }

    [Fact]
    public void ReadMarkMovesForwardOnlyAndIsClampedToTheLastMessage()
    {
        var chat = new ChatState();
        for (var i = 0; i < 5; i++)
        {
            chat = Send(chat, Seller, "m" + i);
        }

        chat = ChatRules.MarkRead(chat, Buyer, 3);
        Assert.Equal((3, 2L), (chat.BuyerReadSequence, chat.UnreadFor(Buyer.UserId)));

        Assert.Same(chat, ChatRules.MarkRead(chat, Buyer, 1));

        chat = ChatRules.MarkRead(chat, Buyer, 99);
        Assert.Equal((5, 0L), (chat.BuyerReadSequence, chat.UnreadFor(Buyer.UserId)));
    }

    [Fact]
    public void SideReadMarkIsTheFurthestOfItsMembers()
    {
        var colleague = Buyer with { UserId = "u_buyer002" };
        var chat = new ChatState();
        for (var i = 0; i < 4; i++)
        {
            chat = Send(chat, Seller, "m" + i);
        }

        chat = ChatRules.MarkRead(chat, colleague, 4);
        chat = ChatRules.MarkRead(chat, Buyer, 2);

        Assert.Equal(4, chat.BuyerReadSequence);
        Assert.Equal(2, chat.UnreadFor(Buyer.UserId));
        Assert.Equal(0, chat.UnreadFor(colleague.UserId));
    }
}
