// The harness `lmlab exercise check dpo_loss` compiles with your file and harness/wire.swift.
labServe { t in
    let r = dpo(policyChosen: t.number(0), referenceChosen: t.number(1), policyRejected: t.number(2),
                referenceRejected: t.number(3), beta: t.number(4))
    return [r.rewardChosen, r.rewardRejected, r.loss]
}
