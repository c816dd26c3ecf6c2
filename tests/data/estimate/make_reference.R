## Regenerates the R `games` 1.1.2 reference fits stored beside this script.
## Needs R with the `games` package (see /work/shared/peers/README.md):
##   Rscript tests/data/estimate/make_reference.R tests/data/estimate
## Writes r_games_reference.csv: one row per (model, parameter) with the estimate and
## its standard error, plus rows "(logLik)" and "(nobs)" per model, and
## r_games_predict.csv: predicted outcome probabilities of egame12_probit_agent.
## The stored files were made with R 4.2.2 (Debian bookworm), games 1.1.2, maxLik 1.5.2;
## fits use reltol = 1e-14 so that R stops at the maximum rather than near it.
suppressPackageStartupMessages(library(games))
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args)) args[1] else "."
options(digits = 15)
data("war1800"); data("data_122"); data("data_123"); data("data_ult"); data("student_offers")
f1 <- esc + war ~ s_wt_re1 + revis1 | 0 | regime1 | balanc + regime2
f122 <- y ~ x1 + x2 | x3 + f1 | 0 | x4 + x5 | z1 + z2 | z3 + f2
f123 <- y ~ x1 + x2 | 0 | x3 | x4 + x5 | 0 | x6 | x7 | x8
fits <- list(
  egame12_probit_agent = egame12(f1, data = war1800, reltol = 1e-14),
  egame12_logit_agent = egame12(f1, data = war1800, link = "logit", reltol = 1e-14),
  egame12_probit_private = egame12(f1, data = war1800, type = "private", reltol = 1e-14),
  egame12_fixed_utils = egame12(esc + war ~ 1, data = war1800,
                                fixedUtils = c(-1, 0, -1.4, 0.1), reltol = 1e-14),
  egame12_sdformula = egame12(f1, data = war1800, sdformula = ~ balanc - 1, reltol = 1e-14),
  egame122_probit_agent = egame122(y ~ x1 + x2 | x3 + f1 | 0 | x4 + x5 | z1 + z2 | z3 + f2,
                                   data = data_122, reltol = 1e-14),
  egame123_probit_private = egame123(y ~ x1 + x2 | 0 | x3 | x4 + x5 | 0 | x6 | x7 | x8,
                                     data = data_123, link = "probit", type = "private",
                                     reltol = 1e-14),
  egame122_fixed_utils = egame122(y ~ 1, data = data_122,
                                  fixedUtils = c(0.5, -0.3, 0, 0.2, 0.4, -0.6), reltol = 1e-14),
  egame122_fixed_by_player = egame122(y ~ 1, data = data_122, sdByPlayer = TRUE,
                                      fixedUtils = c(0.5, -0.3, 0, 0.2, 0.4, -0.6),
                                      reltol = 1e-14),
  egame122_sdformula = egame122(f122, data = data_122, sdformula = ~ x2 - 1, reltol = 1e-14),
  egame122_sd_by_player = egame122(f122, data = data_122, sdformula = ~ x2 - 1 | z1 - 1,
                                   sdByPlayer = TRUE, type = "private", reltol = 1e-14),
  egame123_fixed_utils = egame123(y ~ 1, data = data_123, type = "private",
                                  fixedUtils = c(0.2, 0, -0.5, 0.5, 0, 0.3, 0.6, 0.4),
                                  reltol = 1e-14),
  egame123_sdformula = egame123(f123, data = data_123, type = "private",
                                sdformula = ~ x1 - 1, reltol = 1e-14),
  egame123_sd_by_player = egame123(f123, data = data_123, sdformula = ~ x2 - 1 | x3 - 1 | x8 - 1,
                                   sdByPlayer = TRUE, reltol = 1e-14),
  ultimatum_both = ultimatum(offer + accept ~ x1 + x2 + x3 + x4 + w1 + w2 |
                             z1 + z2 + z3 + z4 + w1 + w2, data = data_ult, maxOffer = 15)
)
rows <- list()
for (nm in names(fits)) {
  m <- fits[[nm]]
  est <- coef(m)
  se <- sqrt(diag(vcov(m)))
  rows[[nm]] <- rbind(
    data.frame(model = nm, parameter = names(est), estimate = unname(est),
               se = unname(se), fixed = unname(m$fixed)),
    data.frame(model = nm, parameter = c("(logLik)", "(nobs)"),
               estimate = c(sum(m$log.likelihood), length(m$log.likelihood)),
               se = NA, fixed = FALSE))
}
write.csv(do.call(rbind, rows), file.path(out, "r_games_reference.csv"), row.names = FALSE)
p <- predict(fits$egame12_probit_agent, newdata = war1800[1:20, ])
write.csv(p, file.path(out, "r_games_predict.csv"), row.names = FALSE)
