/* SPDX-License-Identifier: MIT */
/* System control space registers used by the Cortex-M port (ARMv7-M ARM, B3.2). */
#pragma once

#include <stdint.h>

#define ARCH_REG(addr) (*(volatile uint32_t *)(addr))

#define SCB_ICTR   ARCH_REG(0xE000E004u) /* interrupt controller type */
#define SCB_CPUID  ARCH_REG(0xE000ED00u)
#define SCB_ICSR   ARCH_REG(0xE000ED04u)
#define SCB_VTOR   ARCH_REG(0xE000ED08u)
#define SCB_AIRCR  ARCH_REG(0xE000ED0Cu)
#define SCB_CCR    ARCH_REG(0xE000ED14u)
#define SCB_SHPR2  ARCH_REG(0xE000ED1Cu) /* SVCall priority in bits 31:24 */
#define SCB_SHPR3  ARCH_REG(0xE000ED20u) /* PendSV 23:16, SysTick 31:24 */
#define SCB_SHCSR  ARCH_REG(0xE000ED24u)
#define SCB_CFSR   ARCH_REG(0xE000ED28u)
#define SCB_HFSR   ARCH_REG(0xE000ED2Cu)
#define SCB_MMFAR  ARCH_REG(0xE000ED34u)
#define SCB_BFAR   ARCH_REG(0xE000ED38u)
#define SCB_CPACR  ARCH_REG(0xE000ED88u)
#define FPU_FPCCR  ARCH_REG(0xE000EF34u)

#define NVIC_ISER(n) ARCH_REG(0xE000E100u + 4u * (n))
#define NVIC_ICER(n) ARCH_REG(0xE000E180u + 4u * (n))
#define NVIC_ISPR(n) ARCH_REG(0xE000E200u + 4u * (n))
#define NVIC_ICPR(n) ARCH_REG(0xE000E280u + 4u * (n))
#define NVIC_IPR8(n) (*(volatile uint8_t *)(0xE000E400u + (n)))
#define NVIC_STIR    ARCH_REG(0xE000EF00u)

#define ICSR_PENDSVSET (1u << 28)
#define ICSR_PENDSVCLR (1u << 27)
#define SHCSR_FAULTS_ENA (7u << 16) /* MemManage, BusFault, UsageFault */
#define CCR_DIV_0_TRP (1u << 4)
#define CCR_STKALIGN (1u << 9)
